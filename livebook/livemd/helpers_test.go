package livemd

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// dump renders a notebook for failure messages.
func dump(n *Notebook) string {
	type plain Notebook // without MarshalText
	b, err := json.MarshalIndent((*plain)(n), "", "  ")
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// num is a JSON number as Parse decodes it.
func num(s string) json.Number { return json.Number(s) }

// checkRoundTrip checks that data parses, formats and parses again to the same
// notebook, and that formatting that notebook gives the same bytes again. It returns
// the first parse and its formatted bytes.
func checkRoundTrip(t testing.TB, data []byte) (*Notebook, []byte) {
	t.Helper()
	n, _ := Parse(data)
	out := Format(n)
	n2, _ := Parse(out)
	if !reflect.DeepEqual(n, n2) {
		t.Fatalf("Parse(Format(Parse(x))) differs from Parse(x)\ninput:\n%q\nformatted:\n%q\nfirst:\n%s\nsecond:\n%s", data, out, dump(n), dump(n2))
	}
	if out2 := Format(n2); !bytes.Equal(out, out2) {
		t.Fatalf("formatting twice differs\ninput:\n%q\nfirst:\n%q\nsecond:\n%q", data, out, out2)
	}
	return n, out
}
