package nx

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Containers.
//
// Jit, Grad and friends accept containers: any mix of *Tensor, structs (their
// exported fields), string-keyed maps, slices and arrays. Flattening a container
// lists its tensors in a fixed order (fields in declaration order, map keys
// sorted) and describes everything else — the container's structure and any
// non-tensor values, which are static — as a signature string.

var tensorType = reflect.TypeFor[*Tensor]()

// flatten appends v's tensors to leaves and its structure to sig.
func flatten(v reflect.Value, leaves *[]*Tensor, sig *strings.Builder) {
	if !v.IsValid() {
		sig.WriteString("nil;")
		return
	}
	if v.Type() == tensorType {
		t := v.Interface().(*Tensor)
		if t == nil {
			panic(&Error{Op: "nx", Msg: "a container holds a nil *Tensor"})
		}
		*leaves = append(*leaves, t)
		// "T<dtype><shape>;" without fmt: every compiled call builds this.
		var buf [64]byte
		b := append(append(buf[:0], 'T'), t.dtype.String()...)
		for _, d := range t.shape {
			b = append(strconv.AppendInt(append(b, '['), int64(d), 10), ']')
		}
		sig.Write(append(b, ';'))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		fmt.Fprintf(sig, "%s{", v.Type())
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				flatten(v.Field(i), leaves, sig)
			}
		}
		sig.WriteString("}")
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			fmt.Fprintf(sig, "%#v;", v.Interface())
			return
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		fmt.Fprintf(sig, "%s{", v.Type())
		for _, k := range keys {
			fmt.Fprintf(sig, "%q:", k.String())
			flatten(v.MapIndex(k), leaves, sig)
		}
		sig.WriteString("}")
	case reflect.Slice, reflect.Array:
		if !infoOf(v.Type()).holds {
			fmt.Fprintf(sig, "%#v;", v.Interface())
			return
		}
		fmt.Fprintf(sig, "%s[%d:", v.Type(), v.Len())
		for i := 0; i < v.Len(); i++ {
			flatten(v.Index(i), leaves, sig)
		}
		sig.WriteString("]")
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			fmt.Fprintf(sig, "%s(nil);", v.Type())
			return
		}
		if infoOf(v.Type()).holds {
			fmt.Fprintf(sig, "%s(", v.Type())
			flatten(v.Elem(), leaves, sig)
			sig.WriteString(")")
			return
		}
		fmt.Fprintf(sig, "%#v;", v.Interface())
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		fmt.Fprintf(sig, "%s@%x;", v.Type(), v.Pointer())
	default:
		fmt.Fprintf(sig, "%#v;", v.Interface())
	}
}

// holdsTensors reports whether values of type t can contain tensors.
func holdsTensors(t reflect.Type) bool {
	return holdsTensorsSeen(t, map[reflect.Type]bool{})
}

func holdsTensorsSeen(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == tensorType {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).IsExported() && holdsTensorsSeen(t.Field(i).Type, seen) {
				return true
			}
		}
	case reflect.Map, reflect.Slice, reflect.Array, reflect.Pointer:
		return holdsTensorsSeen(t.Elem(), seen)
	case reflect.Interface:
		return true
	}
	return false
}

// rebuild returns a copy of v whose tensors are replaced, in flatten's order, by
// those of leaves (which it consumes).
func rebuild(v reflect.Value, leaves *[]*Tensor) reflect.Value {
	if !v.IsValid() {
		return v
	}
	t := v.Type()
	if t == tensorType {
		x := (*leaves)[0]
		*leaves = (*leaves)[1:]
		return reflect.ValueOf(x)
	}
	if !infoOf(t).holds {
		return v
	}
	switch v.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return v
		}
		out := reflect.New(t).Elem()
		rebuildInto(out, v, leaves)
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(t.Elem())
		rebuildInto(out.Elem(), v.Elem(), leaves)
		return out
	case reflect.Map:
		if v.IsNil() || t.Key().Kind() != reflect.String {
			return v
		}
		switch m := v.Interface().(type) { // without reflection
		case map[string]*Tensor:
			return reflect.ValueOf(rebuildNamed(m, leaves))
		case map[string]map[string]*Tensor:
			var kb [maxSortedKeys]string
			out := make(map[string]map[string]*Tensor, len(m))
			for _, k := range sortedNames(kb[:0], m) {
				if m[k] == nil {
					out[k] = nil
					continue
				}
				out[k] = rebuildNamed(m[k], leaves)
			}
			return reflect.ValueOf(out)
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		out := reflect.MakeMapWithSize(t, len(keys))
		for _, k := range keys {
			out.SetMapIndex(k, rebuild(v.MapIndex(k), leaves))
		}
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(t).Elem()
		out.Set(rebuild(v.Elem(), leaves))
		return out
	}
	return v
}

// rebuildInto sets dst, a settable value of v's type, to rebuild(v, leaves),
// building structs, arrays and the elements of slices in place rather than in
// values of their own.
func rebuildInto(dst, v reflect.Value, leaves *[]*Tensor) {
	t := v.Type()
	if t == tensorType {
		dst.Set(reflect.ValueOf((*leaves)[0]))
		*leaves = (*leaves)[1:]
		return
	}
	ti := infoOf(t)
	if !ti.holds {
		dst.Set(v)
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		dst.Set(v)
		for _, i := range ti.tensorFields {
			rebuildInto(dst.Field(i), v.Field(i), leaves)
		}
	case reflect.Slice:
		if v.IsNil() {
			dst.Set(v)
			return
		}
		// A new array of exactly len(v) elements, as reflect.MakeSlice would
		// make, without a slice header of its own.
		n := v.Len()
		dst.SetZero()
		dst.Grow(n)
		dst.SetLen(n)
		dst.SetCap(n)
		for i := range n {
			rebuildInto(dst.Index(i), v.Index(i), leaves)
		}
	case reflect.Array:
		for i := range v.Len() {
			rebuildInto(dst.Index(i), v.Index(i), leaves)
		}
	case reflect.Pointer:
		if v.IsNil() {
			dst.Set(v)
			return
		}
		p := reflect.New(t.Elem())
		rebuildInto(p.Elem(), v.Elem(), leaves)
		dst.Set(p)
	default:
		dst.Set(rebuild(v, leaves))
	}
}

// Leaves returns the tensors of a container in a fixed order: struct fields in
// declaration order, map entries by sorted key, slice and array elements in
// order.
func Leaves(container any) []*Tensor {
	var leaves []*Tensor
	var sig strings.Builder
	flatten(reflect.ValueOf(container), &leaves, &sig)
	return leaves
}

// Replace returns a copy of container with its tensors replaced, in the order
// Leaves lists them, by leaves. It panics when the counts differ.
func Replace[T any](container T, leaves []*Tensor) T {
	if n := len(Leaves(container)); n != len(leaves) {
		panic(&Error{Op: "nx.Replace", Msg: fmt.Sprintf("the container holds %d tensors, got %d", n, len(leaves))})
	}
	rest := leaves
	v := rebuild(reflect.ValueOf(&container).Elem(), &rest)
	return v.Interface().(T)
}

// rebuildNamed is rebuild for a map of tensors by name.
func rebuildNamed(m map[string]*Tensor, leaves *[]*Tensor) map[string]*Tensor {
	var kb [maxSortedKeys]string
	out := make(map[string]*Tensor, len(m))
	for _, k := range sortedNames(kb[:0], m) {
		out[k] = (*leaves)[0]
		*leaves = (*leaves)[1:]
	}
	return out
}
