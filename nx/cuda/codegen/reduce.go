package codegen

import (
	"fmt"
	"strings"

	"github.com/gonx-dev/gonx/nx"
)

// emitReduction writes the kernel of a reduce or argreduce node: one block
// per output element (grid-stride over outputs), each thread accumulating a
// strided share of the reduced elements — recomputing the fused chain that
// produces them — then a tree reduction in shared memory.
func (p *planner) emitReduction(nd *nx.Node) error {
	opnd := nd.Operands()[0]
	in := p.g.Spec(opnd)
	out := nd.Results()[0]
	var axes []int
	arg := false
	var ra nx.ReduceAttr
	var aa nx.ArgReduceAttr
	switch a := nd.Attr().(type) {
	case nx.ReduceAttr:
		ra, axes = a, a.Axes
	case nx.ArgReduceAttr:
		aa, arg = a, true
		if a.Axis < 0 {
			for d := range in.Shape {
				axes = append(axes, d)
			}
		} else {
			axes = []int{a.Axis}
		}
	}
	reduced := make([]bool, len(in.Shape))
	for _, a := range axes {
		reduced[a] = true
	}
	var keptShape, redShape nx.Shape
	var keptSt, redSt []int
	st := rowMajor(in.Shape)
	for d, size := range in.Shape {
		if reduced[d] {
			redShape, redSt = append(redShape, size), append(redSt, st[d])
		} else {
			keptShape, keptSt = append(keptShape, size), append(keptSt, st[d])
		}
	}
	nOut, nRed := keptShape.Size(), redShape.Size()

	dt := in.DType
	p.ctx.mark(out.DType)
	acc := compType(dt) // accumulator type
	if !isFloat(dt) {
		acc = wide(dt)
	}
	if isFloat(dt) && !arg && (ra.Kind == "sum" || ra.Kind == "product") {
		acc = "double" // as nx's CPU kernels accumulate
	}
	var init, combine string
	var idxCombine bool
	fl := isFloat(dt)
	sfx := "_f"
	if dt == nx.F64 {
		sfx = "_d"
	}
	name := p.kernelName()
	if arg {
		idxCombine = true
	} else {
		switch ra.Kind {
		case "sum":
			init, combine = "0", "(%s + %s)"
			if !fl {
				init, combine = "0", "(("+acc+")((unsigned long long)%s + (unsigned long long)%s))"
			}
		case "product":
			init, combine = "1", "(%s * %s)"
			if !fl {
				init, combine = "1", "(("+acc+")((unsigned long long)%s * (unsigned long long)%s))"
			}
		case "max", "min":
			lo, hi := "", ""
			if fl {
				if dt == nx.F64 {
					lo, hi = "nx_bits_d(0xfff0000000000000ULL)", "nx_bits_d(0x7ff0000000000000ULL)"
				} else {
					lo, hi = "nx_bits_f(0xff800000u)", "nx_bits_f(0x7f800000u)"
				}
				combine = p.ctx.use(ra.Kind+sfx) + "(%s, %s)"
			} else {
				lo, hi = intLimits(dt)
				lo, hi = "(("+acc+")"+lo+")", "(("+acc+")"+hi+")"
				if ra.Kind == "max" {
					combine = "(%[1]s > %[2]s ? %[1]s : %[2]s)"
				} else {
					combine = "(%[1]s < %[2]s ? %[1]s : %[2]s)"
				}
			}
			init = lo
			if ra.Kind == "min" {
				init = hi
			}
		default:
			return fmt.Errorf("codegen: reduction %q", ra.Kind)
		}
	}

	// The per-thread accumulation loop, with the operand's chain inlined.
	k := p.newBody("idx", in.Shape.Size(), "        ")
	var x string
	if opnd.Source == nx.FromNode && p.grp[opnd.Index] >= 0 {
		if err := k.cone(opnd.Index); err != nil {
			return err
		}
		x = k.regs[opnd.Index]
	} else {
		x = k.read(opnd)
	}
	var b strings.Builder
	w := func(ind int, format string, args ...any) {
		b.WriteString(strings.Repeat("  ", ind))
		fmt.Fprintf(&b, format, args...)
		b.WriteString("\n")
	}
	ops := nd.Op()
	if !arg {
		ops += " " + ra.Kind
	} else if aa.Max {
		ops += " max"
	} else {
		ops += " min"
	}
	if idxCombine {
		// better(a, ai, b, bi): whether candidate a (index ai) beats b (bi);
		// a total order, so the tree's grouping does not change the winner.
		tie := "ai < bi"
		if aa.TieHigh {
			tie = "ai > bi"
		}
		cmp := "a > b"
		inv := "a < b"
		if !aa.Max {
			cmp, inv = inv, cmp
		}
		fmt.Fprintf(&p.src, "\nNX_DEVICE int %s_better(%s a, long long ai, %s b, long long bi) {\n", name, acc, acc)
		fmt.Fprintf(&p.src, "  if (bi < 0) return 1;\n  if (ai < 0) return 0;\n")
		if fl {
			fmt.Fprintf(&p.src, "  if (b != b) return a != a && %s;\n  if (a != a) return 1;\n", tie)
		}
		fmt.Fprintf(&p.src, "  if (%s) return 1;\n  if (%s) return 0;\n  return %s;\n}\n", cmp, inv, tie)
	}
	fmt.Fprintf(&p.src, "\n// reduction: %s of %s over axes %v\n", ops, in, axes)
	sig := k.signature([]nx.DType{out.DType})
	fmt.Fprintf(&p.src, "NX_KERNEL %s(%s) {\n", name, sig)
	if nRed <= smallReduction && nOut >= BlockSize {
		// Many short rows: a thread per output element, each summing its row
		// in order, rather than a block per row of mostly idle threads.
		w(1, "NX_FOR_THREADS(t) {")
		w(2, "for (long long o = NX_BLOCK_ID * NX_BLOCK + t; o < %dLL; o += NX_GRID * NX_BLOCK) {", nOut)
		w(3, "const long long base = %s;", decompose("o", keptShape, keptSt))
		if idxCombine {
			w(3, "%s best = 0;", acc)
			w(3, "long long bi = -1;")
		} else {
			w(3, "%s a = %s;", acc, init)
		}
		w(3, "for (long long r = 0; r < %dLL; r++) {", nRed)
		w(4, "const long long idx = base + %s;", decompose("r", redShape, redSt))
		b.WriteString(k.b.String())
		result := "a"
		if idxCombine {
			w(4, "const %s x = (%s)%s;", acc, acc, x)
			w(4, "if (%s_better(x, r, best, bi)) { best = x; bi = r; }", name)
			result = "bi"
		} else {
			w(4, "a = "+combine+";", "a", "(("+acc+")"+x+")")
		}
		w(3, "}")
		w(3, "%s", store(out.DType, "out0", "o", "(("+compType(out.DType)+")"+result+")"))
		w(2, "}")
		w(1, "}")
		w(0, "}")
		p.src.WriteString(b.String())
		p.plan.Steps = append(p.plan.Steps, Step{Kind: KernelStep, Nodes: []int{nd.Index()}, Args: k.params,
			Outs:   []nx.Value{{Source: nx.FromNode, Index: nd.Index()}},
			Kernel: &Kernel{Name: name, Grid: gridFor(nOut, 4096), Block: BlockSize}})
		return nil
	}
	w(1, "NX_SHARED %s sh[NX_BLOCK];", acc)
	if idxCombine {
		w(1, "NX_SHARED long long si[NX_BLOCK];")
	}
	w(1, "for (long long o = NX_BLOCK_ID; o < %dLL; o += NX_GRID) {", nOut)
	w(2, "NX_FOR_THREADS(t) {")
	w(3, "const long long base = %s;", decompose("o", keptShape, keptSt))
	if idxCombine {
		w(3, "%s best = 0;", acc)
		w(3, "long long bi = -1;")
	} else {
		w(3, "%s a = %s;", acc, init)
	}
	w(3, "for (long long r = t; r < %dLL; r += NX_BLOCK) {", nRed)
	w(4, "const long long idx = base + %s;", decompose("r", redShape, redSt))
	b.WriteString(k.b.String())
	if idxCombine {
		w(4, "const %s x = (%s)%s;", acc, acc, x)
		w(4, "if (%s_better(x, r, best, bi)) { best = x; bi = r; }", name)
		w(3, "}")
		w(3, "sh[t] = best;")
		w(3, "si[t] = bi;")
	} else {
		w(4, "a = "+combine+";", "a", "(("+acc+")"+x+")")
		w(3, "}")
		w(3, "sh[t] = a;")
	}
	w(2, "}")
	w(2, "NX_SYNC();")
	w(2, "for (int s = NX_BLOCK / 2; s > 0; s >>= 1) {")
	if idxCombine {
		w(3, "NX_FOR_THREADS(t) {")
		w(4, "if (t < s && %s_better(sh[t + s], si[t + s], sh[t], si[t])) { sh[t] = sh[t + s]; si[t] = si[t + s]; }", name)
		w(3, "}")
	} else {
		w(3, "NX_FOR_THREADS(t) {")
		w(4, "if (t < s) sh[t] = "+combine+";", "sh[t]", "sh[t + s]")
		w(3, "}")
	}
	w(3, "NX_SYNC();")
	w(2, "}")
	w(2, "NX_FOR_THREADS(t) {")
	result := "sh[0]"
	if idxCombine {
		result = "si[0]"
	}
	w(3, "if (t == 0) %s", store(out.DType, "out0", "o", "(("+compType(out.DType)+")"+result+")"))
	w(2, "}")
	w(2, "NX_SYNC();")
	w(1, "}")
	w(0, "}")
	p.src.WriteString(b.String())
	p.plan.Steps = append(p.plan.Steps, Step{Kind: KernelStep, Nodes: []int{nd.Index()}, Args: k.params,
		Outs:   []nx.Value{{Source: nx.FromNode, Index: nd.Index()}},
		Kernel: &Kernel{Name: name, Grid: uint32(max(1, min(nOut, 65535))), Block: BlockSize, Reduction: true}})
	return nil
}

// smallReduction is the most elements a row may have for the reduction to
// run a thread per output element (when there are a block's worth of them).
const smallReduction = 64

// BlockSize is the number of threads of every kernel's blocks (NX_BLOCK in
// the generated source).
const BlockSize = 256

// decompose returns the offset expression Σ digit(v, shape)[d]·strides[d].
func decompose(v string, shape nx.Shape, strides []int) string {
	var terms []string
	q := v
	for d := len(shape) - 1; d >= 0; d-- {
		if shape[d] == 1 {
			continue
		}
		terms = append(terms, fmt.Sprintf("(%s %% %dLL) * %dLL", q, shape[d], strides[d]))
		q = fmt.Sprintf("(%s / %dLL)", q, shape[d])
	}
	if len(terms) == 0 {
		return "0LL"
	}
	return strings.Join(terms, " + ")
}
