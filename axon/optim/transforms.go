package optim

import (
	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

// stateless returns a Transform without state.
func stateless(fn func(u, params []*nx.Tensor) []*nx.Tensor) Transform {
	return Transform{Update: func(u, s, p []*nx.Tensor) ([]*nx.Tensor, []*nx.Tensor) { return fn(u, p), s }}
}

// Scale returns the transform that multiplies updates by factor.
func Scale(factor float64) Transform {
	return stateless(func(u, _ []*nx.Tensor) []*nx.Tensor {
		return each(u, func(_ int, g *nx.Tensor) *nx.Tensor { return nx.Multiply(f32(g), num(factor)) })
	})
}

// ScaleBySchedule returns the transform that multiplies updates by
// schedule(step), step counting the updates from 0.
func ScaleBySchedule(schedule Schedule) Transform {
	return Transform{
		Init: func([]*nx.Tensor) []*nx.Tensor { return []*nx.Tensor{counter()} },
		Update: func(u, s, _ []*nx.Tensor) ([]*nx.Tensor, []*nx.Tensor) {
			factor := schedule(s[0])
			out := each(u, func(_ int, g *nx.Tensor) *nx.Tensor {
				g = f32(g)
				return nx.Multiply(g, nx.AsType(factor, g.DType()))
			})
			return out, []*nx.Tensor{nx.Add(s[0], nx.Number(1))}
		},
	}
}

// ScaleByAdam returns Adam's scaling: m̂ / (√(v̂ + epsRoot) + eps), with m and v
// the bias-corrected moving averages of the updates and of their squares.
// For f32 and f64 each parameter's scaling is one fused operation (one pass
// over the update and both moments), differentiable like the formula.
func ScaleByAdam(b1, b2, eps, epsRoot float64) Transform {
	return Transform{
		Init: func(p []*nx.Tensor) []*nx.Tensor {
			return append(append(fulls(p, 0), fulls(p, 0)...), counter())
		},
		Update: func(u, s, _ []*nx.Tensor) ([]*nx.Tensor, []*nx.Tensor) {
			n := len(u)
			mu, nu, count := s[:n], s[n:2*n], nx.Add(s[2*n], nx.Number(1))
			next := make([]*nx.Tensor, 0, 2*n+1)
			out := make([]*nx.Tensor, n)
			newNu := make([]*nx.Tensor, n)
			for i, g := range u {
				var m, v *nx.Tensor
				out[i], m, v = adamScale(f32(g), mu[i], nu[i], count, b1, b2, eps, epsRoot)
				next = append(next, m)
				newNu[i] = v
			}
			return out, append(append(next, newNu...), count)
		},
	}
}

// ScaleByBelief returns AdaBelief's scaling: like Adam, with the second moment
// s the moving average of (g - m)² plus epsRoot, and the step m̂ / (√ŝ + eps)
// (Polaris's scale_by_belief tracks g² as Adam does; this follows the paper).
func ScaleByBelief(b1, b2, eps, epsRoot float64) Transform {
	return Transform{
		Init: func(p []*nx.Tensor) []*nx.Tensor {
			return append(append(fulls(p, 0), fulls(p, 0)...), counter())
		},
		Update: func(u, s, _ []*nx.Tensor) ([]*nx.Tensor, []*nx.Tensor) {
			n := len(u)
			mu, nu, count := s[:n], s[n:2*n], nx.Add(s[2*n], nx.Number(1))
			ms, vs, out := make([]*nx.Tensor, n), make([]*nx.Tensor, n), make([]*nx.Tensor, n)
			for i, g := range u {
				g = f32(g)
				ms[i] = moment(g, mu[i], b1, 1)
				vs[i] = nx.Add(moment(nx.Subtract(g, ms[i]), nu[i], b2, 2), num(epsRoot))
				out[i] = nx.Divide(correct(ms[i], b1, count), nx.Add(nx.Sqrt(correct(vs[i], b2, count)), num(eps)))
			}
			return out, append(append(ms, vs...), count)
		},
	}
}

// ScaleByRSS returns Adagrad's scaling: g / √(Σg² + eps), the sum of squares
// starting at initial (0 where the sum is 0).
func ScaleByRSS(initial, eps float64) Transform {
	return Transform{
		Init: func(p []*nx.Tensor) []*nx.Tensor { return fulls(p, initial) },
		Update: func(u, s, _ []*nx.Tensor) ([]*nx.Tensor, []*nx.Tensor) {
			sums, out := make([]*nx.Tensor, len(u)), make([]*nx.Tensor, len(u))
			for i, g := range u {
				g = f32(g)
				sums[i] = nx.Add(s[i], nx.Square(g))
				inv := nx.Select(nx.Greater(sums[i], num(0)), nx.Rsqrt(nx.Add(sums[i], num(eps))), num(0))
				out[i] = nx.Multiply(g, inv)
			}
			return out, sums
		},
	}
}

// ScaleByRMS returns RMSProp's scaling: g / √(v + eps), v the moving average
// (decay) of g², starting at initial.
func ScaleByRMS(decay, eps, initial float64) Transform {
	return Transform{
		Init: func(p []*nx.Tensor) []*nx.Tensor { return fulls(p, initial) },
		Update: func(u, s, _ []*nx.Tensor) ([]*nx.Tensor, []*nx.Tensor) {
			vs, out := make([]*nx.Tensor, len(u)), make([]*nx.Tensor, len(u))
			for i, g := range u {
				g = f32(g)
				vs[i] = moment(g, s[i], decay, 2)
				out[i] = nx.Multiply(nx.Rsqrt(nx.Add(vs[i], num(eps))), g)
			}
			return out, vs
		},
	}
}

// ScaleByStddev returns centered RMSProp's scaling: g / √(v - m² + eps), m and
// v the moving averages of g and g².
func ScaleByStddev(decay, eps, initial float64) Transform {
	return Transform{
		Init: func(p []*nx.Tensor) []*nx.Tensor { return append(fulls(p, 0), fulls(p, initial)...) },
		Update: func(u, s, _ []*nx.Tensor) ([]*nx.Tensor, []*nx.Tensor) {
			n := len(u)
			ms, vs, out := make([]*nx.Tensor, n), make([]*nx.Tensor, n), make([]*nx.Tensor, n)
			for i, g := range u {
				g = f32(g)
				ms[i] = moment(g, s[i], decay, 1)
				vs[i] = moment(g, s[n+i], decay, 2)
				out[i] = nx.Multiply(g, nx.Rsqrt(nx.Add(nx.Subtract(vs[i], nx.Square(ms[i])), num(eps))))
			}
			return out, append(ms, vs...)
		},
	}
}

// ScaleByRAdam returns Rectified Adam's scaling: Adam's step times the
// rectification r when the variance estimate is tractable (ρ >= threshold),
// and the bias-corrected first moment alone before.
func ScaleByRAdam(b1, b2, eps, epsRoot, threshold float64) Transform {
	roInf := 2/(1-b2) - 1
	return Transform{
		Init: func(p []*nx.Tensor) []*nx.Tensor {
			return append(append(fulls(p, 0), fulls(p, 0)...), counter())
		},
		Update: func(u, s, _ []*nx.Tensor) ([]*nx.Tensor, []*nx.Tensor) {
			n := len(u)
			count := nx.Add(s[2*n], nx.Number(1))
			t := nx.AsType(count, nx.F64)
			b2t := nx.Pow(nx.Scalar(b2), t)
			ro := nx.Subtract(num(roInf), nx.Divide(nx.Multiply(nx.Multiply(t, num(2)), b2t), nx.Subtract(num(1), b2t)))
			r := nx.Sqrt(nx.Divide(nx.Multiply(nx.Multiply(nx.Subtract(ro, num(4)), nx.Subtract(ro, num(2))), num(roInf)),
				nx.Multiply(num((roInf-4)*(roInf-2)), ro)))
			ok := nx.GreaterEqual(ro, num(threshold))
			ms, vs, out := make([]*nx.Tensor, n), make([]*nx.Tensor, n), make([]*nx.Tensor, n)
			for i, g := range u {
				g = f32(g)
				ms[i] = moment(g, s[i], b1, 1)
				vs[i] = moment(g, s[n+i], b2, 2)
				mh, vh := correct(ms[i], b1, count), correct(vs[i], b2, count)
				rate := nx.AsType(nx.Select(ok, r, num(0)), mh.DType())
				adapted := nx.Divide(nx.Multiply(rate, mh), nx.Add(nx.Sqrt(nx.Add(vh, num(epsRoot))), num(eps)))
				out[i] = nx.Select(ok, adapted, mh)
			}
			return out, append(append(ms, vs...), count)
		},
	}
}

// ScaleByYogi returns Yogi's scaling: like Adam with the second moment updated
// additively, v - (1-b2)·sign(v - g²)·g², both moments starting at initial.
func ScaleByYogi(b1, b2, eps, epsRoot, initial float64) Transform {
	return Transform{
		Init: func(p []*nx.Tensor) []*nx.Tensor {
			return append(append(fulls(p, initial), fulls(p, initial)...), counter())
		},
		Update: func(u, s, _ []*nx.Tensor) ([]*nx.Tensor, []*nx.Tensor) {
			n := len(u)
			count := nx.Add(s[2*n], nx.Number(1))
			ms, vs, out := make([]*nx.Tensor, n), make([]*nx.Tensor, n), make([]*nx.Tensor, n)
			for i, g := range u {
				g = f32(g)
				g2 := nx.Square(g)
				ms[i] = moment(g, s[i], b1, 1)
				v := s[n+i]
				vs[i] = nx.Subtract(v, nx.Multiply(nx.Multiply(nx.Sign(nx.Subtract(v, g2)), g2), num(1-b2)))
				out[i] = nx.Divide(correct(ms[i], b1, count), nx.Add(nx.Sqrt(nx.Add(correct(vs[i], b2, count), num(epsRoot))), num(eps)))
			}
			return out, append(append(ms, vs...), count)
		},
	}
}

// ScaleByLion returns Lion's update direction: sign(b1·m + (1-b1)·g), with the
// momentum m then updated to b2·m + (1-b2)·g (Chen et al., 2023).
func ScaleByLion(b1, b2 float64) Transform {
	return Transform{
		Init: func(p []*nx.Tensor) []*nx.Tensor { return fulls(p, 0) },
		Update: func(u, s, _ []*nx.Tensor) ([]*nx.Tensor, []*nx.Tensor) {
			ms, out := make([]*nx.Tensor, len(u)), make([]*nx.Tensor, len(u))
			for i, g := range u {
				g = f32(g)
				out[i] = nx.Sign(moment(g, s[i], b1, 1))
				ms[i] = moment(g, s[i], b2, 1)
			}
			return out, ms
		},
	}
}

// Trace returns momentum: t = decay·t + g, passing on t (or, with nesterov,
// decay·t + g).
func Trace(decay float64, nesterov bool) Transform {
	return Transform{
		Init: func(p []*nx.Tensor) []*nx.Tensor { return fulls(p, 0) },
		Update: func(u, s, _ []*nx.Tensor) ([]*nx.Tensor, []*nx.Tensor) {
			ts, out := make([]*nx.Tensor, len(u)), make([]*nx.Tensor, len(u))
			for i, g := range u {
				g = f32(g)
				ts[i] = nx.Add(nx.Multiply(s[i], num(decay)), g)
				out[i] = ts[i]
				if nesterov {
					out[i] = nx.Add(nx.Multiply(ts[i], num(decay)), g)
				}
			}
			return out, ts
		},
	}
}

// Clip returns the transform that clips each update to [-delta, delta].
func Clip(delta float64) Transform {
	return stateless(func(u, _ []*nx.Tensor) []*nx.Tensor {
		return each(u, func(_ int, g *nx.Tensor) *nx.Tensor { return nx.Clip(f32(g), num(-delta), num(delta)) })
	})
}

// ClipByGlobalNorm returns the transform that rescales the updates so that
// their global norm (over every tensor) is at most maxNorm.
func ClipByGlobalNorm(maxNorm float64) Transform {
	return stateless(func(u, _ []*nx.Tensor) []*nx.Tensor {
		total := nx.Scalar(0.0)
		for _, g := range u {
			total = nx.Add(total, nx.AsType(nx.Sum(nx.Square(f32(g))), nx.F64))
		}
		norm := nx.Sqrt(total)
		return each(u, func(_ int, g *nx.Tensor) *nx.Tensor {
			g = f32(g)
			n := nx.AsType(norm, g.DType())
			return nx.Select(nx.Less(n, num(maxNorm)), g, nx.Multiply(nx.Divide(g, n), num(maxNorm)))
		})
	})
}

// Centralize returns gradient centralization: each update of rank above 1
// minus its mean over all axes but the first.
func Centralize() Transform {
	return stateless(func(u, _ []*nx.Tensor) []*nx.Tensor {
		return each(u, func(_ int, g *nx.Tensor) *nx.Tensor {
			g = f32(g)
			if g.Rank() <= 1 {
				return g
			}
			axes := make([]int, g.Rank()-1)
			for i := range axes {
				axes[i] = i + 1
			}
			return nx.Subtract(g, nx.Mean(g, nx.Axes(axes...), nx.KeepAxes()))
		})
	})
}

// AddDecayedWeights returns the transform that adds decay·param to each update
// (decoupled weight decay).
func AddDecayedWeights(decay float64) Transform {
	return stateless(func(u, p []*nx.Tensor) []*nx.Tensor {
		return each(u, func(i int, g *nx.Tensor) *nx.Tensor {
			return nx.Add(f32(g), nx.Multiply(f32(p[i]), num(decay)))
		})
	})
}

// ScaleByTrustRatio returns LAMB's layer-wise scaling: each update times
// coefficient·|param| / (|update| + eps), norms below minNorm read as minNorm,
// and 1 where either norm is 0.
func ScaleByTrustRatio(minNorm, coefficient, eps float64) Transform {
	norm := func(t *nx.Tensor) *nx.Tensor {
		n := nx.Sqrt(nx.Sum(nx.Square(t)))
		return nx.Select(nx.LessEqual(n, num(minNorm)), num(minNorm), n)
	}
	return stateless(func(u, p []*nx.Tensor) []*nx.Tensor {
		return each(u, func(i int, g *nx.Tensor) *nx.Tensor {
			g = f32(g)
			pn, un := norm(f32(p[i])), norm(g)
			ratio := nx.Divide(nx.Multiply(pn, num(coefficient)), nx.Add(un, num(eps)))
			zero := nx.LogicalOr(nx.Equal(pn, num(0)), nx.Equal(un, num(0)))
			return nx.Multiply(g, nx.Select(zero, num(1), ratio))
		})
	})
}

// AddNoise returns the transform that adds Gaussian noise of variance
// eta / (step+1)^gamma to the updates, drawn from a key made from seed.
func AddNoise(eta, gamma float64, seed int64) Transform {
	return Transform{
		Init: func([]*nx.Tensor) []*nx.Tensor { return []*nx.Tensor{counter(), random.Key(seed)} },
		Update: func(u, s, _ []*nx.Tensor) ([]*nx.Tensor, []*nx.Tensor) {
			count, key := s[0], s[1]
			variance := nx.Divide(num(eta), nx.Pow(nx.AsType(nx.Add(count, nx.Number(1)), nx.F64), num(gamma)))
			out := make([]*nx.Tensor, len(u))
			for i, g := range u {
				g = f32(g)
				var noise *nx.Tensor
				noise, key = random.Normal(key, 0, 1, g.Shape(), g.DType())
				out[i] = nx.Add(g, nx.Multiply(nx.AsType(nx.Sqrt(variance), g.DType()), noise))
			}
			return out, []*nx.Tensor{nx.Add(count, nx.Number(1)), key}
		},
	}
}
