// Package livemd reads and writes Livebook's .livemd notebook format.
//
// A .livemd file is Markdown with a few conventions, taken from Livebook's
// Livebook.LiveMarkdown import and export:
//
//   - a level-1 heading (# Title) names the notebook;
//   - each level-2 heading (## Section) starts a section; deeper headings are Markdown;
//   - a fenced code block in a code language (```go, ```elixir, ```erlang, ```python,
//     ```pyproject.toml) is a code cell; the fence is longer than any run of backticks
//     inside the code, so code that itself holds ``` gets a ```` fence;
//   - the Markdown between code cells and headings forms Markdown cells;
//   - an Elixir or Go code cell between the title and the first section, optionally
//     followed by a pyproject.toml cell, is the setup cell (Mix.install in Elixir
//     notebooks); other content there goes into a first section named "Section";
//   - HTML comments of the form <!-- livebook:{...} --> carry JSON data: metadata for
//     the notebook, section or cell that follows ({"persist_outputs":true},
//     {"branch_parent_index":0}, {"reevaluate_automatically":true}, ...), smart cells
//     ({"livebook_object":"smart_cell",...}), persisted outputs ({"output":true} before a
//     fenced block that follows a code cell), {"force_markdown":true} (the next code
//     block is Markdown), {"break_markdown":true} (a boundary between two Markdown cells)
//     and, as the last line, the hub stamp ({"offset":...,"stamp":...}).
//
// Parse builds a Notebook from those rules and Format writes it back. The model keeps
// everything the file says, including metadata this package does not know, so that
// Parse, Format and Parse again give the same Notebook, and formatting a parsed notebook
// twice gives the same bytes. Markdown is kept as written rather than re-rendered, so a
// file exported by Livebook usually comes back byte for byte.
//
// Parse is lenient in the way Livebook's import is: it always returns a notebook, and
// reports what it had to repair or ignore (bad metadata JSON, an unterminated fence, a
// metadata comment with nothing to attach to) as a *ParseError listing each problem
// with its line number.
//
// Where this package departs from Livebook, on purpose: ```go blocks are code cells
// (Livebook reads them as Markdown); Markdown is not re-rendered (Livebook reformats
// it, tables for instance); only fences that start at column 0 are cells; setext
// headings (a line underlined with === or ---) do not start a notebook or section;
// Livebook fails or drops data on some malformed input (bad metadata JSON, metadata
// before another annotation) where Parse keeps the text as Markdown and warns.
//
// gonx runs Go cells only; Cell.Runnable and Cell.ReadOnlyReason tell the notebook
// server which cells it can run and how to label the others.
package livemd
