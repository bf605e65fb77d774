package livemd

import (
	"math/rand"
	"strings"
	"testing"
)

// pieces are lines and small blocks that matter to the format, mixed at random by
// TestGeneratedRoundTrip.
var pieces = []string{
	"# T", "## S", "### h", "#", "##", "###### x", "text", "more text", "", "", "", "    ## indented",
	"```go", "```elixir", "```", "````", "`````", "```output", "~~~", "~~~~", "~~~python",
	"```pyproject.toml", "```vega-lite", " ```elixir", "```elixir x", "\t```go",
	"```go\nx\n```", "```elixir\ny\n```", "```output\nz\n```",
	"<!-- c -->", "<!--", "-->", "<!-- a --> b", "<!-- multi\n## inner\n-->",
	"<!-- livebook:{\"x\":1} -->", "<!-- livebook:{} -->", "<!-- livebook:bad -->",
	"<!--\nlivebook:{\"y\":2}\n-->", "<!-- livebook:{\"a\":\"--\\u003e\"} -->",
	"<!-- livebook:{\"output\":true} -->", "<!-- livebook:{\"output\":true} -->\n```\nout\n```",
	"<!-- livebook:{\"break_markdown\":true} -->", "<!-- livebook:{\"force_markdown\":true} -->",
	"<!-- livebook:{\"livebook_object\":\"smart_cell\",\"kind\":\"k\"} -->",
	"<!-- livebook:{\"offset\":1,\"stamp\":2} -->", "<!-- livebook:{\"branch_parent_index\":0} -->",
	"<!-- livebook:{\"livebook_object\":\"cell_input\"} -->", "<!-- livebook:{\"reevaluate_automatically\":true} -->",
	"\\## escaped", "  ", "> ## quote",
}

// TestGeneratedRoundTrip round-trips many small random notebooks built from pieces.
func TestGeneratedRoundTrip(t *testing.T) {
	count := 5000
	if testing.Short() {
		count = 1000
	}
	r := rand.New(rand.NewSource(1))
	for range count {
		var b strings.Builder
		for range 1 + r.Intn(20) {
			b.WriteString(pieces[r.Intn(len(pieces))])
			b.WriteString("\n")
		}
		checkRoundTrip(t, []byte(b.String()))
	}
}
