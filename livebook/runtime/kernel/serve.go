package kernel

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// File descriptors of a kernel process, besides standard output and error.
const (
	// RequestFD is the descriptor the kernel reads requests from.
	RequestFD = 3
	// ResponseFD is the descriptor the kernel writes responses to.
	ResponseFD = 4
)

// maxRequest bounds the size of one request line.
const maxRequest = 64 << 20

// Marker returns the bytes a kernel started with token writes to its standard output
// after the output of the request numbered seq: MarkerPrefix(token), seq in decimal,
// and a NUL byte.
func Marker(token string, seq int64) string {
	return fmt.Sprintf("%s%d\x00", MarkerPrefix(token), seq)
}

// MarkerPrefix returns the start of the markers of a kernel started with token.
func MarkerPrefix(token string) string {
	return "\x00gonx-end:" + token + ":"
}

// Main runs a kernel process with the command-line arguments and exits when its
// request stream ends. The arguments are
//
//	-dir DIR         scratch directory (required)
//	-gonx-root DIR   gonx checkout that cells may import
//	-go PATH         go command
//	-token TOKEN     token of the output markers
func Main() {
	if err := Serve(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "kernel:", err)
		os.Exit(2)
	}
}

// Serve runs a kernel on the process's descriptors (see Main) until the request
// stream ends.
func Serve(args []string) error {
	fs := flag.NewFlagSet("kernel", flag.ContinueOnError)
	var cfg Config
	var token string
	fs.StringVar(&cfg.Dir, "dir", "", "scratch `directory`")
	fs.StringVar(&cfg.GonxRoot, "gonx-root", "", "gonx checkout `directory`")
	fs.StringVar(&cfg.GoCmd, "go", "go", "go `command`")
	fs.StringVar(&token, "token", "", "output marker `token`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	req, resp, marks, err := descriptors()
	if err != nil {
		return err
	}
	return serve(cfg, token, req, resp, marks)
}

// serve answers requests from req on resp; after each it writes the output marker
// to marks, which shares standard output's pipe.
func serve(cfg Config, token string, req io.Reader, resp, marks io.Writer) error {
	enc := json.NewEncoder(resp)
	sess, err := NewSession(cfg)
	if err != nil {
		kind := FailInternal
		if errors.Is(err, ErrUnsupported) {
			kind = FailUnsupported
		}
		_ = enc.Encode(Response{Error: &Failure{Kind: kind, Message: err.Error()}})
		return err
	}
	if err := enc.Encode(Response{Ready: true, GoVersion: sess.GoVersion(), Scope: sess.Scope()}); err != nil {
		return err
	}
	sc := bufio.NewScanner(req)
	sc.Buffer(make([]byte, 64<<10), maxRequest)
	for sc.Scan() {
		var r Request
		var out Response
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			out.Error = &Failure{Kind: FailInternal, Message: "bad request: " + err.Error()}
		} else {
			switch r.Op {
			case "eval":
				if err := sess.SetInputs(r.Inputs); err != nil {
					out.Error = &Failure{Kind: FailInternal, Message: err.Error()}
					break
				}
				out = sess.Eval(r.Cell, r.Source)
				out.Scope = sess.Scope()
			case "ping":
			default:
				out.Error = &Failure{Kind: FailInternal, Message: fmt.Sprintf("unknown operation %q", r.Op)}
			}
		}
		out.Seq = r.Seq
		_, _ = io.WriteString(marks, Marker(token, r.Seq))
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	return sc.Err()
}
