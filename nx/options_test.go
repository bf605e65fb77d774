package nx

import "testing"

func TestPaddingAccessors(t *testing.T) {
	p := Pads([2]int{1, 2}, [2]int{0, 3})
	pairs, ok := p.Explicit()
	if !ok || len(pairs) != 2 || pairs[1] != [2]int{0, 3} {
		t.Errorf("Explicit() = %v, %v", pairs, ok)
	}
	if _, ok := Same.Explicit(); ok {
		t.Error("Same is not explicit")
	}
	if !p.Equal(Pads([2]int{1, 2}, [2]int{0, 3})) || p.Equal(Same) || !Valid.Equal(Valid) {
		t.Error("Equal is wrong")
	}
	if s := p.String(); s != "Pads[[1 2] [0 3]]" {
		t.Errorf("String() = %q", s)
	}
}
