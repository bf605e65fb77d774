package kernel

import (
	"go/token"
	"regexp"
	"strings"
)

// modulePath is the module path of the scratch module that holds compiled cells, and
// the package path every cell has while it is type-checked.
const modulePath = "gonxcells"

// Mark prefixes the unexported names that cells declare, in compiled code, to export
// them (see Demangle).
const Mark = mark

// mark prefixes the unexported names that cells declare, to export them.
const mark = "Ξ"

// mangle returns the exported name that a name declared by a cell has in compiled
// code: exported names and the blank identifier are unchanged, others get mark.
func mangle(name string) string {
	if name == "_" || token.IsExported(name) {
		return name
	}
	return mark + name
}

// pkgName returns the package name of the cells' evaluation seq.
func pkgName(seq int) string {
	return "cell" + pad4(seq)
}

// pad4 formats n with at least four digits.
func pad4(n int) string {
	s := itoa(n)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}

// itoa formats a non-negative int.
func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

var (
	qualifierRE = regexp.MustCompile(`(?:` + modulePath + `/)?\bcell\d{4,}\.`)
	markRE      = regexp.MustCompile(mark + `([^\p{Lu}])`)
	runRE       = regexp.MustCompile(`(?:` + modulePath + `/)?\bcell\d{4,}\.` + mark + `Run\b`)
)

// Demangle undoes the renaming of cell names in text: gonxcells/cell0003.Ξpoint and
// cell0003.Ξpoint become point, cell0003.Point becomes Point.
func Demangle(s string) string {
	if !strings.Contains(s, mark) && !strings.Contains(s, "cell") {
		return s
	}
	s = runRE.ReplaceAllString(s, "cell")
	s = qualifierRE.ReplaceAllString(s, "")
	return markRE.ReplaceAllString(s, "$1")
}
