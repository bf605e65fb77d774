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
		if !holdsTensors(v.Type()) {
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
		if holdsTensors(v.Type()) {
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
	if v.Type() == tensorType {
		t := (*leaves)[0]
		*leaves = (*leaves)[1:]
		return reflect.ValueOf(t)
	}
	if !holdsTensors(v.Type()) {
		return v
	}
	switch v.Kind() {
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				out.Field(i).Set(rebuild(v.Field(i), leaves))
			}
		}
		return out
	case reflect.Map:
		if v.IsNil() || v.Type().Key().Kind() != reflect.String {
			return v
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		out := reflect.MakeMapWithSize(v.Type(), len(keys))
		for _, k := range keys {
			out.SetMapIndex(k, rebuild(v.MapIndex(k), leaves))
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(rebuild(v.Index(i), leaves))
		}
		return out
	case reflect.Array:
		out := reflect.New(v.Type()).Elem()
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(rebuild(v.Index(i), leaves))
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(rebuild(v.Elem(), leaves))
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(rebuild(v.Elem(), leaves))
		return out
	}
	return v
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
