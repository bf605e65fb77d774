package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// Peer scripts (peers/*.py, peers/*.c) print one JSON object per line on
// standard output, of three kinds:
//
//	{"info": "numpy", "value": "1.24.2, BLAS /usr/lib/.../libblas.so.3"}
//	{"system": "numpy", "case": "softmax 4096×1024", "ns": 1.25e7, "check": 4096.0}
//	{"system": "torch", "case": "backward", "error": "why it could not run"}
//
// "ns" is the time of one run in nanoseconds, measured with the loop that
// Protocol describes; "check" (optional) is a number computed from the result
// that the Go side compares with its own to make sure both systems computed the
// same thing. Blank lines are ignored; anything else is an error, so a script
// that prints stray text fails loudly instead of losing results.

// PeerResult is one result line of a peer script.
type PeerResult struct {
	System   string
	Case     string
	PerOp    time.Duration
	Check    float64 // meaningful when HasCheck
	HasCheck bool
	Err      string // not empty when the peer could not run the case
}

// PeerInfo is one info line of a peer script: what the peer is (version,
// library, threads), printed under the table it contributed to.
type PeerInfo struct {
	Key, Value string
}

// PeerOutput is everything a peer script printed.
type PeerOutput struct {
	Results []PeerResult
	Info    []PeerInfo
}

// Result returns the result for system and case c.
func (o *PeerOutput) Result(system, c string) (PeerResult, bool) {
	if o == nil {
		return PeerResult{}, false
	}
	for _, r := range o.Results {
		if r.System == system && r.Case == c {
			return r, true
		}
	}
	return PeerResult{}, false
}

// peerLine is the JSON form of one line.
type peerLine struct {
	Info   *string  `json:"info"`
	Value  string   `json:"value"`
	System string   `json:"system"`
	Case   string   `json:"case"`
	Ns     *float64 `json:"ns"`
	Check  *float64 `json:"check"`
	Error  string   `json:"error"`
}

// ErrPeerOutput is wrapped by the errors ParsePeerOutput returns for lines that
// do not follow the peer protocol.
var ErrPeerOutput = errors.New("malformed peer output")

// ParsePeerOutput reads a peer script's standard output. On a malformed line it
// returns what it read before that line and an error wrapping ErrPeerOutput that
// names the line.
func ParsePeerOutput(r io.Reader) (*PeerOutput, error) {
	out := &PeerOutput{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		bad := func(format string, args ...any) error {
			return fmt.Errorf("bench: peer output line %d %q: %w: %s", n, clip(text, 80), ErrPeerOutput, fmt.Sprintf(format, args...))
		}
		var l peerLine
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			return out, bad("%v", err)
		}
		if dec.More() {
			return out, bad("more than one JSON value on the line")
		}
		switch {
		case l.Info != nil:
			if *l.Info == "" || l.System != "" || l.Case != "" || l.Ns != nil {
				return out, bad("an info line has a non-empty info and a value only")
			}
			out.Info = append(out.Info, PeerInfo{Key: *l.Info, Value: l.Value})
		case l.System == "" || l.Case == "":
			return out, bad(`a result needs "system" and "case"`)
		case l.Error != "":
			out.Results = append(out.Results, PeerResult{System: l.System, Case: l.Case, Err: l.Error})
		case l.Ns == nil:
			return out, bad(`a result needs "ns" or "error"`)
		case !(*l.Ns > 0) || *l.Ns >= math.MaxInt64:
			return out, bad(`"ns" must be a positive number of nanoseconds that fits a time.Duration, got %v`, *l.Ns)
		default:
			res := PeerResult{System: l.System, Case: l.Case, PerOp: time.Duration(math.Round(*l.Ns))}
			if l.Check != nil {
				res.Check, res.HasCheck = *l.Check, true
			}
			out.Results = append(out.Results, res)
		}
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("bench: reading peer output: %w", err)
	}
	return out, nil
}

// clip shortens s to at most n bytes, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// lastLines returns the last n non-empty lines of b, joined by " | ".
func lastLines(b []byte, n int) string {
	var lines []string
	for l := range bytes.Lines(b) {
		if t := strings.TrimSpace(string(l)); t != "" {
			lines = append(lines, t)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// CheckClose reports whether two check values agree to within a relative
// tolerance tol (and an absolute one of tol for values near zero).
func CheckClose(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return false
	}
	return math.Abs(a-b) <= tol*max(1, math.Abs(a), math.Abs(b))
}
