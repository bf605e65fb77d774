package runtime

import (
	"bufio"
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

// serveTest runs Serve on a loopback port until the test ends and returns its
// address.
func serveTest(t *testing.T, secret string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, secret, Options{}, t.Logf) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

func TestAttachRefusesWrongSecret(t *testing.T) {
	addr := serveTest(t, "right secret")
	ctx := context.Background()
	for _, secret := range []string{"wrong secret", "right secre", "right secret "} {
		_, err := Attach(ctx, addr, secret, Options{})
		if !errors.Is(err, ErrSecret) || !strings.Contains(err.Error(), "wrong secret") {
			t.Errorf("secret %q: %v, want ErrSecret", secret, err)
		}
	}
	if _, err := Attach(ctx, addr, "", Options{}); err == nil || !strings.Contains(err.Error(), "no secret") {
		t.Errorf("empty secret: %v", err)
	}
	// The right secret is let in; a second client while it is attached is told
	// the kernel is busy, and gets in once the first leaves.
	a, err := Attach(ctx, addr, "right secret", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Attach(ctx, addr, "right secret", Options{}); !errors.Is(err, ErrKernelBusy) {
		t.Errorf("second client: %v, want ErrKernelBusy", err)
	}
	a.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := Attach(ctx, addr, "right secret", Options{})
		if err == nil {
			b.Close()
			break
		}
		if !errors.Is(err, ErrKernelBusy) || time.Now().After(deadline) {
			t.Fatalf("after the first left: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServeRefusesRawClients sends what is not a hello: the kernel answers with a
// refusal and closes the connection, without evaluating anything.
func TestServeRefusesRawClients(t *testing.T) {
	addr := serveTest(t, "s")
	for _, first := range []string{
		`{"op":"eval","seq":1,"cell":"c","source":"x := 1"}` + "\n",
		"not json\n",
		strings.Repeat("x", 10000) + "\n",
		`{"op":"hello"}` + "\n",
	} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = conn.Write([]byte(first))
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		line, _ := bufio.NewReader(conn).ReadString('\n')
		if !strings.Contains(line, `"op":"refused"`) {
			t.Errorf("%.40q: answered %q", first, line)
		}
		conn.Close()
	}
}

func TestAttachNotAKernel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			_, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\n\r\n"))
			c.Close()
		}
	}()
	if _, err := Attach(context.Background(), ln.Addr().String(), "s", Options{}); err == nil || !strings.Contains(err.Error(), "not a gonx kernel") {
		t.Fatalf("got %v", err)
	}
	if _, err := Attach(context.Background(), "127.0.0.1:1", "s", Options{}); err == nil {
		t.Fatal("attached to a closed port")
	}
}

// TestAttachedEvaluates runs cells in an attached kernel: names persist between
// cells, output streams to Options.Output, a runaway cell is interrupted through
// the context (the kernel restarts, the names go), and a new client gets a fresh
// kernel.
func TestAttachedEvaluates(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the kernel and plugins")
	}
	addr := serveTest(t, "s")
	ctx := context.Background()
	var streamed strings.Builder
	a, err := Attach(ctx, addr, "s", Options{Output: func(_, text string) { streamed.WriteString(text) }})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	res, err := a.Eval(ctx, "c1", "x := 40")
	if errors.Is(err, ErrUnsupported) || err != nil && strings.Contains(err.Error(), "not supported") {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if res, err = a.Eval(ctx, "c2", `fmt.Println("hello from the kernel")`+"\nx + 2"); err != nil {
		t.Fatal(err)
	}
	if !res.HasValue || res.Value != "42" || res.Output != "hello from the kernel\n" || !strings.Contains(streamed.String(), "hello from the kernel") {
		t.Fatalf("got %+v, streamed %q", res, streamed.String())
	}
	if res, err = a.Eval(ctx, "c3", "y := undefinedName"); err == nil {
		t.Fatal("a compile error passed")
	}
	var ee *EvalError
	if !errors.As(err, &ee) || ee.Kind != KindCompile || !strings.Contains(ee.Message, "undefinedName") || ee.Line != 1 {
		t.Fatalf("got %#v", err)
	}
	tctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	res, err = a.Eval(tctx, "c4", "for {}")
	if !errors.As(err, &ee) || ee.Kind != KindInterrupted || !errors.Is(err, context.DeadlineExceeded) || !res.Restarted {
		t.Fatalf("interrupt: %+v %v", res, err)
	}
	if _, err = a.Eval(ctx, "c5", "x"); !errors.As(err, &ee) || ee.Kind != KindCompile {
		t.Fatalf("x after the restart: %v, want undefined", err)
	}
	a.Close()
	if _, err := a.Eval(ctx, "c6", "1"); err == nil {
		t.Fatal("Eval after Close worked")
	}
}
