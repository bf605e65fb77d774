package nx

import (
	"errors"
	"strings"
	"testing"
)

// TestErrorMessages checks that misuse panics with an *Error that names the
// operation, describes the operands and says what was expected.
func TestErrorMessages(t *testing.T) {
	f23 := Zeros(F32, 2, 3)
	f3 := Zeros(F32, 3)
	s22 := Zeros(S32, 2, 2)
	c2 := Zeros(C64, 2)
	for _, c := range []struct {
		name string
		fn   func()
		op   string
		want string
	}{
		{"Add shapes", func() { Add(f23, Zeros(F32, 4)) }, "nx.Add",
			"nx.Add(f32[2][3], f32[4]): shapes cannot be broadcast together"},
		{"Subtract shapes", func() { Subtract(Zeros(U8, 2, 1, 3), Zeros(S8, 4, 2)) }, "nx.Subtract",
			"nx.Subtract(u8[2][1][3], s8[4][2]): shapes cannot be broadcast together"},
		{"Quotient floats", func() { Quotient(Zeros(F32, 2), Zeros(S32, 2)) }, "nx.Quotient",
			"nx.Quotient(f32[2], s32[2]): want integer operands"},
		{"BitwiseAnd floats", func() { BitwiseAnd(Zeros(F64, 2), Zeros(S8, 2)) }, "nx.BitwiseAnd",
			"nx.BitwiseAnd(f64[2], s8[2]): not defined for f64 operands"},
		{"LeftShift complex", func() { LeftShift(c2, Number(1)) }, "nx.LeftShift",
			"nx.LeftShift(c64[2], s64): not defined for c64 operands"},
		{"Erf complex", func() { Erf(c2) }, "nx.Erf", "nx.Erf(c64[2]): not defined for c64 tensors"},
		{"Floor complex", func() { Floor(c2) }, "nx.Floor", "nx.Floor(c64[2]): not defined for c64 tensors"},
		{"BitwiseNot float", func() { BitwiseNot(f3) }, "nx.BitwiseNot", "nx.BitwiseNot(f32[3]): not defined for f32 tensors"},
		{"PopulationCount float", func() { PopulationCount(f3) }, "nx.PopulationCount",
			"nx.PopulationCount(f32[3]): want an integer tensor"},
		{"Less complex", func() { Less(c2, c2) }, "nx.Less", "nx.Less(c64[2], c64[2]): complex numbers are not ordered"},
		{"Select shapes", func() { Select(Zeros(U8, 2), f3, Zeros(F32, 4)) }, "nx.Select",
			"nx.Select(u8[2], f32[3], f32[4]): shapes cannot be broadcast together"},
		{"Clip complex", func() { Clip(c2, Zeros(C64), Ones(C64)) }, "nx.Clip",
			"nx.Clip(c64[2], c64, c64): complex numbers are not ordered"},
		{"Clip bounds shape", func() { Clip(f3, Zeros(F32, 2, 1), Ones(F32)) }, "nx.Clip",
			"nx.Clip(f32[3], f32[2][1], f32): the bounds must broadcast to the tensor's shape"},
		{"Reshape size", func() { Reshape(f23, 4) }, "nx.Reshape",
			"nx.Reshape(f32[2][3]): new shape [4] has 4 elements, want 6"},
		{"Reshape two -1", func() { Reshape(f23, -1, -1) }, "nx.Reshape", "nx.Reshape(f32[2][3]): invalid new shape [-1 -1]"},
		{"Reshape infer", func() { Reshape(f23, 4, -1) }, "nx.Reshape",
			"nx.Reshape(f32[2][3]): cannot infer the -1 dimension of [4 -1]"},
		{"Transpose axes count", func() { Transpose(f23, Axes(0)) }, "nx.Transpose",
			"nx.Transpose(f32[2][3]): axes [0] must list all 2 axes"},
		{"Transpose duplicate", func() { Transpose(f23, Axes(1, -1)) }, "nx.Transpose",
			"nx.Transpose(f32[2][3]): axis -1 is given twice in [1 -1]"},
		{"Squeeze size", func() { Squeeze(f23, Axes(0)) }, "nx.Squeeze", "nx.Squeeze(f32[2][3]): axis 0 has size 2, want 1"},
		{"NewAxis range", func() { NewAxis(f3, 3) }, "nx.NewAxis", "nx.NewAxis(f32[3]): axis 3 is out of range for rank 2"},
		{"Broadcast size", func() { Broadcast(f3, Shape{2, 4}) }, "nx.Broadcast",
			"nx.Broadcast(f32[3]): axis 0 has size 3, want 4 or 1 to broadcast to [2 4]"},
		{"Broadcast rank", func() { Broadcast(f23, Shape{3}) }, "nx.Broadcast",
			"nx.Broadcast(f32[2][3]): cannot broadcast to the lower rank shape [3]"},
		{"Broadcast axes order", func() { Broadcast(f23, Shape{3, 2, 3}, Axes(2, 0)) }, "nx.Broadcast",
			"nx.Broadcast(f32[2][3]): axes [2 0] must be increasing and within shape [3 2 3]"},
		{"Sum axis range", func() { Sum(s22, Axes(2)) }, "nx.Sum", "nx.Sum(s32[2][2]): axis 2 is out of range for rank 2"},
		{"Sum option", func() { Sum(s22, Tie(TieHigh)) }, "nx.Sum",
			"nx.Sum(s32[2][2]): option Tie is not supported (takes: Axes, KeepAxes)"},
		{"ReduceMax complex", func() { ReduceMax(c2) }, "nx.ReduceMax", "nx.ReduceMax(c64[2]): complex numbers are not ordered"},
		{"Mean duplicate axes", func() { Mean(s22, Axes(0, 0)) }, "nx.Mean", "nx.Mean(s32[2][2]): axis 0 is given twice in [0 0]"},
		{"Variance option", func() { Variance(f3, Axis(0)) }, "nx.Variance",
			"nx.Variance(f32[3]): option Axis is not supported (takes: Axes, DDOF, KeepAxes)"},
		{"Argmax empty", func() { Argmax(Zeros(F32, 0)) }, "nx.Argmax", "nx.Argmax(f32[0]): cannot take the index of an empty tensor"},
		{"Argmin complex", func() { Argmin(c2) }, "nx.Argmin", "nx.Argmin(c64[2]): complex numbers are not ordered"},
		{"Argmax axis", func() { Argmax(f23, Axis(-3)) }, "nx.Argmax", "nx.Argmax(f32[2][3]): axis -3 is out of range for rank 2"},
		{"Bitcast size", func() { Bitcast(f3, F64) }, "nx.Bitcast",
			"nx.Bitcast(f32[3]): cannot bitcast to f64: sizes differ (64 vs 32 bits)"},
		{"AsType invalid", func() { AsType(f3, DType(99)) }, "nx.AsType", "nx.AsType(f32[3]): invalid target dtype DType(99)"},
		{"Tril rank", func() { Tril(f3, 0) }, "nx.Tril", "nx.Tril(f32[3]): want a tensor of rank 2 or more"},
		{"FromSlice size", func() { FromSlice([]float32{1, 2, 3}, 2, 2) }, "nx.FromSlice",
			"nx.FromSlice(): shape [2 2] holds 4 elements but the slice has 3"},
		{"FromSlice type", func() { FromSlice([]string{"a"}) }, "nx.FromSlice",
			"nx.FromSlice(): unsupported data type []string: want a slice of a Go numeric type"},
		{"Scalar tensor", func() { Scalar(f3) }, "nx.Scalar", "nx.Scalar(): got a *Tensor where a Go number was expected"},
		{"Iota axis", func() { Iota(Shape{2, 3}, Axis(2)) }, "nx.Iota", "nx.Iota(): axis 2 is out of range for shape [2 3]"},
		{"Iota option", func() { Iota(Shape{2}, KeepAxes()) }, "nx.Iota", "nx.Iota(): option KeepAxes is not supported (takes: Axis, Type)"},
		{"Linspace n", func() { Linspace(0, 1, -1) }, "nx.Linspace", "nx.Linspace(): n is -1: want n >= 0"},
		{"Eye shape", func() { Eye(F32) }, "nx.Eye", "nx.Eye(): shape []: want at least one dimension"},
		{"Full shape", func() { Full(1, F32, 2, -1) }, "nx.Full", "nx.Full(): shape [2 -1] has a negative dimension"},
		{"Float64 size", func() { f3.Float64() }, "nx.Tensor.Float64", "nx.Tensor.Float64(f32[3]): expected a tensor with one element"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := Try(c.fn)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want an *Error", err)
			}
			if e.Op != c.op {
				t.Errorf("Op = %q, want %q", e.Op, c.op)
			}
			if got := e.Error(); got != c.want {
				t.Errorf("message:\n got  %q\n want %q", got, c.want)
			}
			// The operands in the message are exactly the Operands field.
			if prefix := c.op + "(" + strings.Join(e.Operands, ", ") + "): "; !strings.HasPrefix(e.Error(), prefix) {
				t.Errorf("message %q does not start with %q", e.Error(), prefix)
			}
		})
	}
}

// TestErrorRecover checks Recover and Try: *Error panics become errors, other
// panics go on.
func TestErrorRecover(t *testing.T) {
	if err := Try(func() {}); err != nil {
		t.Errorf("Try of a function that does not panic: got %v", err)
	}
	run := func() (err error) {
		defer Recover(&err)
		Add(Zeros(F32, 2), Zeros(F32, 3))
		return nil
	}
	if err := run(); err == nil || !strings.HasPrefix(err.Error(), "nx.Add(f32[2], f32[3]): ") {
		t.Errorf("Recover: got %v", err)
	}
	defer func() {
		if r := recover(); r != "not an nx error" {
			t.Errorf("a foreign panic came out as %v", r)
		}
	}()
	_ = Try(func() { panic("not an nx error") })
	t.Errorf("Try swallowed a foreign panic")
}
