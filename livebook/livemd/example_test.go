package livemd_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

func Example() {
	src := "# Hello, gonx\n\n" +
		"## Basics\n\n" +
		"Go cells run; others are shown read-only.\n\n" +
		"```go\nfmt.Println(\"hi\")\n```\n\n" +
		"<!-- livebook:{\"output\":true} -->\n\n```\nhi\n```\n\n" +
		"```elixir\nIO.puts(\"hi\")\n```\n"
	n, err := livemd.Parse([]byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("notebook:", n.Name)
	for _, s := range n.Sections {
		fmt.Println("section:", s.Name)
		for _, c := range s.Cells {
			fmt.Printf("  %s %q runnable=%v outputs=%d\n", c.Kind, c.Source, c.Runnable(), len(c.Outputs))
			if r := c.ReadOnlyReason(); r != "" {
				fmt.Println("    read-only:", r)
			}
		}
	}
	// Output:
	// notebook: Hello, gonx
	// section: Basics
	//   markdown "Go cells run; others are shown read-only." runnable=false outputs=0
	//   code "fmt.Println(\"hi\")" runnable=true outputs=1
	//   code "IO.puts(\"hi\")" runnable=false outputs=0
	//     read-only: Elixir cell: gonx runs Go cells only; shown read-only
}

func ExampleFormat() {
	n := livemd.New("Tensors")
	n.Metadata = livemd.Metadata{"persist_outputs": true}
	s := n.AddSection("Start")
	s.AddMarkdown("Make a tensor:")
	s.AddCode(livemd.LangGo, "t := nx.Iota(3)\nfmt.Println(t)")
	fmt.Print(string(livemd.Format(n)))
	// Output:
	// <!-- livebook:{"persist_outputs":true} -->
	//
	// # Tensors
	//
	// ## Start
	//
	// Make a tensor:
	//
	// ```go
	// t := nx.Iota(3)
	// fmt.Println(t)
	// ```
}

func ExampleParse_warnings() {
	_, err := livemd.Parse([]byte("# T\n\n## S\n\n<!-- livebook:{bad json} -->\n\n```go\nx := 1\n"))
	fmt.Println(err)
	if pe, ok := err.(*livemd.ParseError); ok {
		for _, w := range pe.Warnings {
			fmt.Println(w.Line, w.Msg)
		}
	}
	// Output:
	// livemd: line 5: invalid livebook metadata JSON (invalid character 'b' looking for beginning of object key string); kept as an ordinary comment (and 1 more problem)
	// 5 invalid livebook metadata JSON (invalid character 'b' looking for beginning of object key string); kept as an ordinary comment
	// 7 the fenced block opened here is never closed; it runs to the end of the notebook
}
