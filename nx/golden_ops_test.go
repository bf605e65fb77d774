package nx

// The table of operations that the golden cases (golden_test.go) name.

// Adapters from nx functions to goldenOps.

func gUnary(f func(*Tensor) *Tensor) goldenOp {
	return func(_ *goldenCase, a []*Tensor, _ []Option) *Tensor { return f(a[0]) }
}

func gBinary(f func(a, b *Tensor) *Tensor) goldenOp {
	return func(_ *goldenCase, a []*Tensor, _ []Option) *Tensor { return f(a[0], a[1]) }
}

func gTernary(f func(a, b, c *Tensor) *Tensor) goldenOp {
	return func(_ *goldenCase, a []*Tensor, _ []Option) *Tensor { return f(a[0], a[1], a[2]) }
}

func gOpts(f func(*Tensor, ...Option) *Tensor) goldenOp {
	return func(_ *goldenCase, a []*Tensor, o []Option) *Tensor { return f(a[0], o...) }
}

// goldenOps maps the op names of the golden files to nx calls.
func goldenOps() map[string]goldenOp {
	ops := map[string]goldenOp{}
	for name, f := range map[string]func(*Tensor) *Tensor{
		"Exp": Exp, "Expm1": Expm1, "Log": Log, "Log1p": Log1p, "Log2": Log2, "Log10": Log10,
		"Sqrt": Sqrt, "Rsqrt": Rsqrt, "Cbrt": Cbrt, "Sigmoid": Sigmoid,
		"Sin": Sin, "Cos": Cos, "Tan": Tan, "Asin": Asin, "Acos": Acos, "Atan": Atan,
		"Sinh": Sinh, "Cosh": Cosh, "Tanh": Tanh, "Asinh": Asinh, "Acosh": Acosh, "Atanh": Atanh,
		"Erf": Erf, "Erfc": Erfc, "ErfInv": ErfInv,
		"Negate": Negate, "Sign": Sign, "Abs": Abs, "Square": Square,
		"Floor": Floor, "Ceil": Ceil, "Round": Round, "IsNaN": IsNaN, "IsInfinity": IsInfinity,
		"BitwiseNot": BitwiseNot, "PopulationCount": PopulationCount, "CountLeadingZeros": CountLeadingZeros,
		"Conjugate": Conjugate, "Real": Real, "Imag": Imag, "LogicalNot": LogicalNot,
		"Flatten": Flatten,
	} {
		ops[name] = gUnary(f)
	}
	for name, f := range map[string]func(a, b *Tensor) *Tensor{
		"Add": Add, "Subtract": Subtract, "Multiply": Multiply, "Divide": Divide,
		"Quotient": Quotient, "Remainder": Remainder, "Pow": Pow, "Atan2": Atan2,
		"Max": Max, "Min": Min, "BitwiseAnd": BitwiseAnd, "BitwiseOr": BitwiseOr,
		"BitwiseXor": BitwiseXor, "LeftShift": LeftShift, "RightShift": RightShift,
		"Equal": Equal, "NotEqual": NotEqual, "Less": Less, "LessEqual": LessEqual,
		"Greater": Greater, "GreaterEqual": GreaterEqual,
		"LogicalAnd": LogicalAnd, "LogicalOr": LogicalOr, "LogicalXor": LogicalXor,
		"BroadcastTo": BroadcastTo,
	} {
		ops[name] = gBinary(f)
	}
	ops["Select"] = gTernary(Select)
	ops["Clip"] = gTernary(Clip)
	for name, f := range map[string]func(*Tensor, ...Option) *Tensor{
		"Sum": Sum, "Product": Product, "ReduceMax": ReduceMax, "ReduceMin": ReduceMin,
		"All": All, "Any": Any, "Mean": Mean, "LogSumExp": LogSumExp,
		"Variance": Variance, "StandardDeviation": StandardDeviation,
		"Argmax": Argmax, "Argmin": Argmin, "Squeeze": Squeeze, "Transpose": Transpose,
	} {
		ops[name] = gOpts(f)
	}
	ops["AsType"] = func(c *goldenCase, a []*Tensor, _ []Option) *Tensor { return AsType(a[0], c.dtypeParam("dtype")) }
	ops["Bitcast"] = func(c *goldenCase, a []*Tensor, _ []Option) *Tensor { return Bitcast(a[0], c.dtypeParam("dtype")) }
	ops["Reshape"] = func(c *goldenCase, a []*Tensor, _ []Option) *Tensor { return Reshape(a[0], c.intsParam("shape")...) }
	ops["NewAxis"] = func(c *goldenCase, a []*Tensor, _ []Option) *Tensor { return NewAxis(a[0], c.intParam("axis")) }
	ops["Broadcast"] = func(c *goldenCase, a []*Tensor, o []Option) *Tensor {
		return Broadcast(a[0], c.intsParam("shape"), o...)
	}
	ops["Tril"] = func(c *goldenCase, a []*Tensor, _ []Option) *Tensor { return Tril(a[0], c.intParam("k")) }
	ops["Triu"] = func(c *goldenCase, a []*Tensor, _ []Option) *Tensor { return Triu(a[0], c.intParam("k")) }
	ops["Iota"] = func(c *goldenCase, _ []*Tensor, o []Option) *Tensor { return Iota(c.intsParam("shape"), o...) }
	ops["Eye"] = func(c *goldenCase, _ []*Tensor, _ []Option) *Tensor {
		return Eye(c.dtypeParam("dtype"), c.intsParam("shape")...)
	}
	ops["Linspace"] = func(c *goldenCase, _ []*Tensor, o []Option) *Tensor {
		return Linspace(c.floatParam("start"), c.floatParam("stop"), c.intParam("n"), o...)
	}
	ops["Tri"] = func(c *goldenCase, _ []*Tensor, _ []Option) *Tensor {
		return Tri(c.intParam("n"), c.intParam("m"), c.intParam("k"))
	}
	ops["Zeros"] = func(c *goldenCase, _ []*Tensor, _ []Option) *Tensor {
		return Zeros(c.dtypeParam("dtype"), c.intsParam("shape")...)
	}
	ops["Ones"] = func(c *goldenCase, _ []*Tensor, _ []Option) *Tensor {
		return Ones(c.dtypeParam("dtype"), c.intsParam("shape")...)
	}
	ops["Full"] = func(c *goldenCase, _ []*Tensor, _ []Option) *Tensor {
		return Full(c.numberParam("value"), c.dtypeParam("dtype"), c.intsParam("shape")...)
	}
	ops["Scalar"] = func(c *goldenCase, _ []*Tensor, _ []Option) *Tensor {
		return Scalar(c.numberParam("value"), c.dtypeParam("dtype"))
	}
	goldenMoreOps(ops)
	return ops
}

// goldenMoreOps adds the operations of the other areas (slicing, sorting, linear
// algebra, windows) to ops.
func goldenMoreOps(ops map[string]goldenOp) {
	ops["Slice"] = func(c *goldenCase, a []*Tensor, o []Option) *Tensor {
		return Slice(a[0], c.intsParam("starts"), c.intsParam("lengths"), o...)
	}
	ops["SliceAlongAxis"] = func(c *goldenCase, a []*Tensor, o []Option) *Tensor {
		return SliceAlongAxis(a[0], c.intParam("start"), c.intParam("length"), o...)
	}
	ops["SliceDynamic"] = func(c *goldenCase, a []*Tensor, o []Option) *Tensor {
		return SliceDynamic(a[0], a[1:], c.intsParam("lengths"), o...)
	}
	ops["PutSlice"] = func(c *goldenCase, a []*Tensor, _ []Option) *Tensor {
		return PutSlice(a[0], c.intsParam("starts"), a[1])
	}
	ops["PutSliceDynamic"] = func(_ *goldenCase, a []*Tensor, _ []Option) *Tensor {
		return PutSliceDynamic(a[0], a[2:], a[1])
	}
	for name, f := range map[string]func(t, i *Tensor, o ...Option) *Tensor{
		"Take": Take, "TakeAlongAxis": TakeAlongAxis, "Gather": Gather,
	} {
		ops[name] = func(_ *goldenCase, a []*Tensor, o []Option) *Tensor { return f(a[0], a[1], o...) }
	}
	for name, f := range map[string]func(t, i, u *Tensor, o ...Option) *Tensor{
		"IndexedAdd": IndexedAdd, "IndexedPut": IndexedPut,
	} {
		ops[name] = func(_ *goldenCase, a []*Tensor, o []Option) *Tensor { return f(a[0], a[1], a[2], o...) }
	}
	ops["Concatenate"] = func(_ *goldenCase, a []*Tensor, o []Option) *Tensor { return Concatenate(a, o...) }
	ops["Stack"] = func(_ *goldenCase, a []*Tensor, o []Option) *Tensor { return Stack(a, o...) }
	ops["Split"] = func(c *goldenCase, a []*Tensor, o []Option) *Tensor {
		return Split(a[0], c.intsParam("sizes"), o...)[c.intParam("index")]
	}
	ops["SplitN"] = func(c *goldenCase, a []*Tensor, o []Option) *Tensor {
		return SplitN(a[0], c.intParam("n"), o...)[c.intParam("index")]
	}
	ops["Pad"] = func(c *goldenCase, a []*Tensor, _ []Option) *Tensor {
		var config [][3]int
		c.param("config", &config)
		return Pad(a[0], a[1], config...)
	}
	ops["Reverse"] = gOpts(Reverse)
	ops["Tile"] = func(c *goldenCase, a []*Tensor, _ []Option) *Tensor { return Tile(a[0], c.intsParam("reps")) }
	for name, f := range map[string]func(*Tensor, ...Option) *Tensor{
		"Sort": Sort, "Argsort": Argsort, "CumulativeSum": CumulativeSum,
		"CumulativeProduct": CumulativeProduct, "CumulativeMax": CumulativeMax,
		"CumulativeMin": CumulativeMin, "Median": Median, "Mode": Mode,
		"FFT": FFT, "IFFT": IFFT, "FFT2": FFT2, "IFFT2": IFFT2,
	} {
		ops[name] = gOpts(f)
	}
	ops["TopK"] = func(c *goldenCase, a []*Tensor, o []Option) *Tensor {
		values, indices := TopK(a[0], c.intParam("k"), o...)
		return []*Tensor{values, indices}[c.intParam("output")]
	}
	ops["Dot"] = gBinary(Dot)
	ops["Outer"] = gBinary(Outer)
	ops["DotGeneral"] = func(c *goldenCase, a []*Tensor, _ []Option) *Tensor {
		return DotGeneral(a[0], c.intsParam("contract_a"), c.intsParam("batch_a"),
			a[1], c.intsParam("contract_b"), c.intsParam("batch_b"))
	}
	ops["Conv"] = func(_ *goldenCase, a []*Tensor, o []Option) *Tensor { return Conv(a[0], a[1], o...) }
	for name, f := range map[string]func(*Tensor, []int, ...Option) *Tensor{
		"WindowSum": WindowSum, "WindowProduct": WindowProduct, "WindowMax": WindowMax,
		"WindowMin": WindowMin, "WindowMean": WindowMean,
	} {
		ops[name] = func(c *goldenCase, a []*Tensor, o []Option) *Tensor { return f(a[0], c.intsParam("window"), o...) }
	}
	for name, f := range map[string]func(t, s, i *Tensor, w []int, o ...Option) *Tensor{
		"WindowScatterMax": WindowScatterMax, "WindowScatterMin": WindowScatterMin,
	} {
		ops[name] = func(c *goldenCase, a []*Tensor, o []Option) *Tensor {
			return f(a[0], a[1], a[2], c.intsParam("window"), o...)
		}
	}
	ops["Complex"] = gBinary(Complex)
	ops["Phase"] = gUnary(Phase)
	ops["AllClose"] = func(c *goldenCase, a []*Tensor, _ []Option) *Tensor {
		return AllClose(a[0], a[1], c.floatParam("rtol"), c.floatParam("atol"))
	}
	ops["WeightedMean"] = func(_ *goldenCase, a []*Tensor, o []Option) *Tensor { return WeightedMean(a[0], a[1], o...) }
	ops["Covariance"] = gOpts(Covariance)
	ops["MakeDiagonal"] = func(c *goldenCase, a []*Tensor, _ []Option) *Tensor { return MakeDiagonal(a[0], c.intParam("k")) }
	ops["TakeDiagonal"] = func(c *goldenCase, a []*Tensor, _ []Option) *Tensor { return TakeDiagonal(a[0], c.intParam("k")) }
}
