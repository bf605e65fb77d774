package lsp_test

import (
	"bufio"
	"bytes"
	"fmt"

	"github.com/gonx-dev/gonx/livebook/lsp"
)

func ExampleWriteMessage() {
	var buf bytes.Buffer
	_ = lsp.WriteMessage(&buf, []byte(`{"jsonrpc":"2.0","method":"initialized","params":{}}`))
	fmt.Printf("%q\n", buf.String())
	// Output: "Content-Length: 52\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}"
}

func ExampleReadMessage() {
	r := bufio.NewReader(bytes.NewBufferString("Content-Length: 4\r\n\r\nnullContent-Length: 2\r\n\r\n{}"))
	for {
		m, err := lsp.ReadMessage(r)
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(string(m))
	}
	// Output:
	// null
	// {}
	// EOF
}

func ExamplePositionOf() {
	text := "x := \"é\"\ny := x"
	p := lsp.PositionOf(text, len(text))
	fmt.Println(p.Line, p.Character, lsp.UTF16Offset(text, p) == len(text))
	// Output: 1 6 true
}

func ExampleFileURI() {
	fmt.Println(lsp.FileURI("/tmp/my notebook/cell.go"))
	// Output: file:///tmp/my%20notebook/cell.go
}
