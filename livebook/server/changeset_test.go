package server

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
	"unicode/utf16"
)

// changesetCase is a case of testdata/changesets.json, which CodeMirror's own
// ChangeSet made and applied (ui/tools/changesets.mjs writes it).
type changesetCase struct {
	Doc     string          `json:"doc"`
	Changes json.RawMessage `json:"changes"`
	Result  string          `json:"result"`
	Error   bool            `json:"error"`
}

func loadChangesetCases(t testing.TB) []changesetCase {
	data, err := os.ReadFile("testdata/changesets.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []changesetCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestChangeSetMatchesCodeMirror applies the change sets CodeMirror made and
// compares with what CodeMirror got, and writes each back as CodeMirror did.
func TestChangeSetMatchesCodeMirror(t *testing.T) {
	cases := loadChangesetCases(t)
	if len(cases) < 300 {
		t.Fatalf("only %d cases", len(cases))
	}
	for i, c := range cases {
		cs, err := ParseChangeSet(c.Changes)
		if err == nil {
			var got string
			got, err = cs.Apply(c.Doc)
			if err == nil && !c.Error {
				if got != c.Result {
					t.Errorf("case %d: %q with %s = %q, want %q", i, c.Doc, c.Changes, got, c.Result)
				}
				if n := len(utf16.Encode([]rune(got))); n != cs.NewLen() {
					t.Errorf("case %d: NewLen %d, result has %d", i, cs.NewLen(), n)
				}
				back, err := json.Marshal(cs)
				if err != nil || string(back) != compactJSON(t, c.Changes) {
					t.Errorf("case %d: written back as %s (%v), want %s", i, back, err, c.Changes)
				}
			}
		}
		switch {
		case c.Error && err == nil:
			t.Errorf("case %d: %q with %s applies; CodeMirror refuses it", i, c.Doc, c.Changes)
		case !c.Error && err != nil:
			t.Errorf("case %d: %q with %s: %v", i, c.Doc, c.Changes, err)
		case err != nil && !errors.Is(err, ErrChangeSet):
			t.Errorf("case %d: error %v is not ErrChangeSet", i, err)
		}
	}
}

func compactJSON(t testing.TB, raw json.RawMessage) string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

func TestChangeSetRejects(t *testing.T) {
	for _, in := range []string{
		``, `null`, `{}`, `"x"`, `[-1]`, `[1.5]`, `[1e300]`, `[[]]`, `[[1, 2]]`, `[[1, null]]`,
		`[["1"]]`, `[true]`, `[[1,"a"],]`, `[1073741824]`, `[1073741823, 1]`,
	} {
		if _, err := ParseChangeSet([]byte(in)); !errors.Is(err, ErrChangeSet) {
			t.Errorf("ParseChangeSet(%s) = %v, want ErrChangeSet", in, err)
		}
	}
	cs, err := ParseChangeSet([]byte(`[2, [1, "x"]]`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Apply("ab"); !errors.Is(err, ErrChangeSet) {
		t.Errorf("applying to a short text: %v", err)
	}
	// A document's length counts UTF-16 code units: 😀 is two.
	if got, err := cs.Apply("😀"); err == nil {
		t.Errorf("applying [2,[1,x]] to 😀 gives %q", got)
	}
	if got, err := cs.Apply("éx"[:2] + "x"); err == nil {
		t.Errorf("applying [2,[1,x]] to a 2-unit text gives %q", got)
	}
	if got, err := cs.Apply("éxy"); err != nil || got != "éxx" {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestReplacement(t *testing.T) {
	for _, c := range []struct{ old, new, json string }{
		{"", "", `[]`},
		{"abc", "abc", `[3]`},
		{"", "a\nb", `[[0,"a","b"]]`},
		{"abc", "", `[[3]]`},
		{"x := 1", "x := 42", `[5,[1,"42"]]`},
		{"a😀b", "a😃b", `[2,[1,"\ude03"],1]`},
		{"<a>", "<b>&", `[1,[2,"b\u003e\u0026"]]`},
		{"hello world", "hello, world", `[5,[0,","],6]`},
		{"😀", "", `[[2]]`},
	} {
		cs := Replacement(c.old, c.new)
		got, err := cs.Apply(c.old)
		if err != nil || got != c.new {
			t.Errorf("Replacement(%q, %q) applies as %q, %v", c.old, c.new, got, err)
		}
		if j, _ := json.Marshal(cs); string(j) != c.json {
			t.Errorf("Replacement(%q, %q) = %s, want %s", c.old, c.new, j, c.json)
		}
	}
}

// FuzzChangeSet checks that any input either fails to parse or applies to a
// document of its length without panicking, and that what it writes reads back
// the same.
func FuzzChangeSet(f *testing.F) {
	for _, c := range loadChangesetCases(f) {
		f.Add([]byte(c.Changes), c.Doc)
	}
	f.Add([]byte(`[[1e3]]`), "")
	f.Add([]byte(`[1,[0,"\ud800"]]`), "x")
	f.Fuzz(func(t *testing.T, data []byte, doc string) {
		cs, err := ParseChangeSet(data)
		if err != nil {
			if !errors.Is(err, ErrChangeSet) {
				t.Fatalf("error %v is not ErrChangeSet", err)
			}
			return
		}
		if _, err := cs.Apply(doc); err != nil && !errors.Is(err, ErrChangeSet) {
			t.Fatalf("error %v is not ErrChangeSet", err)
		}
		if cs.Len() > 1<<16 {
			return
		}
		text := string(make([]byte, cs.Len()))
		if _, err := cs.Apply(text); err != nil {
			t.Fatalf("a text of its length: %v", err)
		}
		out, err := json.Marshal(cs)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseChangeSet(out)
		if err != nil {
			t.Fatalf("reading back %s: %v", out, err)
		}
		if again.Len() != cs.Len() || again.NewLen() != cs.NewLen() {
			t.Fatalf("%s reads back as %s", data, out)
		}
	})
}

// TestChangeSetSplitsPairs applies changes that cut surrogate pairs, checking
// against the text JavaScript makes (pairs made whole again stay whole).
func TestChangeSetSplitsPairs(t *testing.T) {
	for _, c := range []struct{ doc, changes, want string }{
		{"a😀b", `[2,[1,"\ude03"],1]`, "a😃b"},                    // the low half replaced: 😃
		{"😀😀", `[1,[2],1]`, "😀"},                                // two halves kept make a pair again
		{"😀x", `[1,[1],1]`, "\ufffdx"},                          // the low half deleted
		{"x😀", `[[1,"\ud83d"],2]`, "\ufffd😀"},                   // a lone high half inserted
		{"ab😀", `[2,[0,"\ud83d"],[1,"\ude00"],1]`, "ab😀\ufffd"}, // a pair made of an insertion and an insertion
	} {
		cs, err := ParseChangeSet([]byte(c.changes))
		if err != nil {
			t.Fatal(err)
		}
		got, err := cs.Apply(c.doc)
		if err != nil || got != c.want {
			t.Errorf("%q with %s = %q, %v; want %q", c.doc, c.changes, got, err, c.want)
		}
	}
}
