package nx

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Fast signature keys.
//
// A compiled call over containers finds its compiled signature without
// building the signature string of flatten: it walks its arguments, appending
// their tensors to the leaves and their structure to a sequence of exact
// tokens — type identities, lengths, the tensors' types and shapes, the bits
// of static numbers and the bytes of static strings — that it hashes and looks
// up in jitted.byKey. A key is only ever recorded for a signature that the
// string path computed for arguments with that very key, and is compared
// exactly (never by its hash alone), so the string signature stays the source
// of truth: equal keys mean equal signatures. Maps of tensors by name
// (map[string]*Tensor, and maps of those, as model parameters are kept) are
// walked natively, their keys sorted on the stack. Arguments the walk cannot
// encode exactly and cheaply (other maps, functions, channels, pointers to
// values without tensors, static values that format themselves) take the
// string path.

// typeInfo is what the key walk and rebuild need to know of a type; it is
// computed once per type.
type typeInfo struct {
	id uint64
	// holds reports whether values of the type can contain tensors
	// (holdsTensors).
	holds bool
	// key is how appendKey encodes values of the type.
	key keyKind
	// fields are the exported fields (structs), in declaration order.
	fields []int
	// tensorFields are those of fields whose values can contain tensors.
	tensorFields []int
}

type keyKind uint8

const (
	keySlow      keyKind = iota // not encoded: the string path decides
	keyTensor                   // *Tensor
	keyStruct                   // exported fields in order
	keySeq                      // slice or array that can contain tensors
	keyPointer                  // pointer that can contain tensors
	keyInterface                // interface: its dynamic value
	keyBasic                    // static bool, number or string
	keyBasicSeq                 // static slice or array of keyBasic elements
	keyNamed                    // map[string]*Tensor
	keyNamed2                   // map[string]map[string]*Tensor
)

var (
	namedType  = reflect.TypeFor[map[string]*Tensor]()
	named2Type = reflect.TypeFor[map[string]map[string]*Tensor]()
)

// Token tags: the low byte of a token that starts a value. The rest of the
// token is the type's id (or, for tensors, the dtype and rank).
const (
	tagInvalid = iota + 1
	tagTensor
	tagStruct
	tagSeq
	tagNil
	tagPointer
	tagInterface
	tagBasic
	tagBasicSeq
	tagNamed
)

var (
	typeInfos     sync.Map // reflect.Type → *typeInfo
	typeIDs       atomic.Uint64
	goStringer    = reflect.TypeFor[fmt.GoStringer]()
	formatterType = reflect.TypeFor[fmt.Formatter]()
)

// infoOf returns t's typeInfo.
func infoOf(t reflect.Type) *typeInfo {
	if v, ok := typeInfos.Load(t); ok {
		return v.(*typeInfo)
	}
	ti := &typeInfo{id: typeIDs.Add(1), holds: holdsTensors(t)}
	switch {
	case t == tensorType:
		ti.key = keyTensor
	case t == namedType:
		ti.key = keyNamed
	case t == named2Type:
		ti.key = keyNamed2
	case t.Kind() == reflect.Struct:
		ti.key = keyStruct
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).IsExported() {
				ti.fields = append(ti.fields, i)
				if holdsTensors(t.Field(i).Type) {
					ti.tensorFields = append(ti.tensorFields, i)
				}
			}
		}
	case (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && ti.holds:
		ti.key = keySeq
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		// flatten formats the whole value with %#v: exact when the
		// elements are basic and nothing formats itself.
		if basicKind(t.Elem()) && !formatsItself(t) {
			ti.key = keyBasicSeq
		}
	case t.Kind() == reflect.Pointer && ti.holds:
		ti.key = keyPointer
	case t.Kind() == reflect.Interface:
		ti.key = keyInterface
	case basicKind(t):
		ti.key = keyBasic
	}
	v, _ := typeInfos.LoadOrStore(t, ti)
	return v.(*typeInfo)
}

// basicKind reports whether t is a boolean, number or string type whose
// values %#v formats by their value alone.
func basicKind(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
		return !formatsItself(t)
	}
	return false
}

// formatsItself reports whether fmt formats values of t with their own
// methods, whose output need not follow the value's bits.
func formatsItself(t reflect.Type) bool {
	return t.Implements(goStringer) || t.Implements(formatterType)
}

// maxKeyTokens is the length of the key buffer that a call keeps on its
// stack; longer keys grow on the heap.
const maxKeyTokens = 256

// appendKey appends v's tensors to leaves and its key tokens to toks. ok is
// false when v holds something the key cannot encode (then the string
// signature decides), including a nil tensor, which flatten rejects.
func appendKey(v reflect.Value, toks []uint64, leaves []*Tensor) (_ []uint64, _ []*Tensor, ok bool) {
	if !v.IsValid() {
		return append(toks, tagInvalid), leaves, true
	}
	t := v.Type()
	if t == tensorType {
		x := (*Tensor)(v.UnsafePointer())
		if x == nil {
			return toks, leaves, false
		}
		toks = append(toks, tagTensor|uint64(x.dtype)<<8|uint64(len(x.shape))<<16)
		for _, d := range x.shape {
			toks = append(toks, uint64(d))
		}
		return toks, append(leaves, x), true
	}
	ti := infoOf(t)
	switch ti.key {
	case keyStruct:
		toks = append(toks, tagStruct|ti.id<<8)
		for _, i := range ti.fields {
			if toks, leaves, ok = appendKey(v.Field(i), toks, leaves); !ok {
				return toks, leaves, false
			}
		}
		return toks, leaves, true
	case keySeq:
		n := v.Len()
		toks = append(toks, tagSeq|ti.id<<8, uint64(n))
		for i := range n {
			if toks, leaves, ok = appendKey(v.Index(i), toks, leaves); !ok {
				return toks, leaves, false
			}
		}
		return toks, leaves, true
	case keyPointer, keyInterface:
		if v.IsNil() {
			return append(toks, tagNil|ti.id<<8), leaves, true
		}
		tag := uint64(tagPointer)
		if ti.key == keyInterface {
			tag = tagInterface
		}
		return appendKey(v.Elem(), append(toks, tag|ti.id<<8), leaves)
	case keyBasic:
		return appendBasic(v, append(toks, tagBasic|ti.id<<8)), leaves, true
	case keyBasicSeq:
		// %#v tells a nil slice from an empty one.
		n := uint64(v.Len()) << 1
		if v.Kind() == reflect.Slice && v.IsNil() {
			n |= 1
		}
		toks = append(toks, tagBasicSeq|ti.id<<8, n)
		for i := range v.Len() {
			toks = appendBasic(v.Index(i), toks)
		}
		return toks, leaves, true
	case keyNamed:
		return appendNamed(v.Interface().(map[string]*Tensor), ti.id, toks, leaves)
	case keyNamed2:
		m := v.Interface().(map[string]map[string]*Tensor)
		var kb [maxSortedKeys]string
		keys := sortedNames(kb[:0], m)
		toks = append(toks, tagNamed|ti.id<<8, uint64(len(keys)))
		inner := infoOf(namedType).id
		for _, k := range keys {
			toks = appendString(k, toks)
			if toks, leaves, ok = appendNamed(m[k], inner, toks, leaves); !ok {
				return toks, leaves, false
			}
		}
		return toks, leaves, true
	}
	return toks, leaves, false
}

// maxSortedKeys is the number of map keys a walk sorts on its stack; more
// grow on the heap.
const maxSortedKeys = 64

// sortedNames appends m's keys to buf and sorts them.
func sortedNames[V any](buf []string, m map[string]V) []string {
	for k := range m {
		buf = append(buf, k)
	}
	slices.Sort(buf)
	return buf
}

// appendNamed appends the key of a map of tensors by name: its size, then
// each name, in sorted order (flatten's), and its tensor.
func appendNamed(m map[string]*Tensor, id uint64, toks []uint64, leaves []*Tensor) ([]uint64, []*Tensor, bool) {
	var kb [maxSortedKeys]string
	keys := sortedNames(kb[:0], m)
	toks = append(toks, tagNamed|id<<8, uint64(len(keys)))
	for _, k := range keys {
		x := m[k]
		if x == nil {
			return toks, leaves, false
		}
		toks = appendString(k, toks)
		toks = append(toks, tagTensor|uint64(x.dtype)<<8|uint64(len(x.shape))<<16)
		for _, d := range x.shape {
			toks = append(toks, uint64(d))
		}
		leaves = append(leaves, x)
	}
	return toks, leaves, true
}

// appendBasic appends the exact bits of a boolean, number or string.
func appendBasic(v reflect.Value, toks []uint64) []uint64 {
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			return append(toks, 1)
		}
		return append(toks, 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return append(toks, uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return append(toks, v.Uint())
	case reflect.Float32, reflect.Float64:
		return append(toks, math.Float64bits(v.Float()))
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		return append(toks, math.Float64bits(real(c)), math.Float64bits(imag(c)))
	}
	return appendString(v.String(), toks)
}

// appendString appends a string: its length, then its bytes eight to a
// token.
func appendString(s string, toks []uint64) []uint64 {
	toks = append(toks, uint64(len(s)))
	for len(s) >= 8 {
		toks = append(toks, binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s), 8)))
		s = s[8:]
	}
	var last uint64
	for i := len(s) - 1; i >= 0; i-- {
		last = last<<8 | uint64(s[i])
	}
	if len(s) > 0 {
		toks = append(toks, last)
	}
	return toks
}

// keyHash hashes key tokens (FNV-1a over the tokens).
func keyHash(toks []uint64) uint64 {
	h := uint64(14695981039346656037)
	for _, t := range toks {
		h ^= t
		h *= 1099511628211
	}
	return h
}

// keyEntry is a compiled signature found by its key.
type keyEntry struct {
	toks []uint64
	c    *compiled
}

// lookupKey returns the compiled signature recorded for the key toks, or nil.
func (j *jitted) lookupKey(toks []uint64) *compiled {
	m := j.byKey.Load()
	if m == nil {
		return nil
	}
	for _, e := range (*m)[keyHash(toks)] {
		if slices.Equal(e.toks, toks) {
			return e.c
		}
	}
	return nil
}

// addByKey records c, compiled for arguments whose key is toks, in byKey.
func (j *jitted) addByKey(c *compiled, toks []uint64) {
	h := keyHash(toks)
	j.mu.Lock()
	defer j.mu.Unlock()
	old := j.byKey.Load()
	m := map[uint64][]keyEntry{}
	if old != nil {
		for _, e := range (*old)[h] {
			if slices.Equal(e.toks, toks) {
				return
			}
		}
		for k, v := range *old {
			m[k] = v
		}
	}
	m[h] = append(append([]keyEntry(nil), m[h]...), keyEntry{slices.Clone(toks), c})
	j.byKey.Store(&m)
}
