package axon

import (
	"math"
	"testing"

	"github.com/gonx-dev/gonx/axon/initializers"
	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

// pv returns scale·0.5·sin(i+1) for the elements i of shape: the parameter
// values testdata for known-value tests (the same formula in NumPy gave the
// expected outputs).
func pv(scale float64, shape ...int) *nx.Tensor {
	v := make([]float64, nx.Shape(shape).Size())
	for i := range v {
		v[i] = scale * 0.5 * math.Sin(float64(i+1))
	}
	return nx.FromSlice(v, shape...)
}

// xv returns cos(0.7·i) for the elements i of shape: the inputs.
func xv(shape ...int) *nx.Tensor {
	v := make([]float64, nx.Shape(shape).Size())
	for i := range v {
		v[i] = math.Cos(0.7 * float64(i))
	}
	return nx.FromSlice(v, shape...)
}

type params = map[string]map[string]*nx.Tensor

// Expected outputs computed with NumPy (convolutions and pooling written out
// as loops, recurrent cells step by step).
var knownCases = []struct {
	name     string
	input    []int
	build    func(x *Node) *Node
	params   params
	state    params
	training bool
	want     []float64
	newState map[string][]float64
}{
	{name: "dense", input: []int{2, 3}, build: func(x *Node) *Node { return x.Dense(2) },
		params: params{"dense_0": {"kernel": pv(1, 3, 2), "bias": pv(1, 2)}},
		want:   []float64{0.8139454430138634, 0.5961344619433849, 0.5908411306491244, 0.7124894466720267}},
	{name: "conv_same_strided", input: []int{1, 2, 5, 5}, build: func(x *Node) *Node { return x.Conv(3, 3, Strides(2), nx.Same) },
		params: params{"conv_0": {"kernel": pv(1, 3, 2, 3, 3), "bias": pv(1, 3)}},
		want: []float64{0.26075288271762403, 1.8574909586006543, 1.9768292771412104, 1.4434749254516817, 3.0208888759503636, 2.020241562562865, 1.6772567055981162, 2.121869641501974, 0.6729149946671262,
			0.14466551706876896, 1.7265564577269843, 0.9024084064657787, 1.3832825373164694, 2.409529895852596, 1.1616771160854236, 1.904318446298273, 1.5588238389710107, 0.6805562467845423,
			-0.17883155392553401, 0.31352840766456413, -0.8942073675051373, 0.27420543051051344, 0.05208803527734682, -0.5952207311533235, 0.7285210829557326, -0.17236357660096296, 0.11672153937383888}},
	{name: "depthwise", input: []int{1, 2, 4, 4}, build: func(x *Node) *Node { return x.DepthwiseConv(2, ChannelMultiplier(2), NoBias()) },
		params: params{"depthwise_conv_0": {"kernel": pv(1, 4, 1, 2, 2)}},
		want: []float64{1.0563431755067654, 0.5185105159625845, -0.26318574118910215, -1.1458090324707535, -0.8316245413416002, -0.126314033927585, 1.102870561561002, 1.0486399278381793, 0.5012175506022002,
			-1.3590758162381553, -0.9406001370024422, -0.07974551605191947, 1.3319675811932552, 1.2188753292278758, 0.5325269644742443, -1.1509434078552043, -1.3563029943742992, -0.9237720898202755,
			-0.09720286326865807, 0.41257423728116616, 0.7283112273873722, 0.3447808201910579, -0.17410623377911405, -0.6111084055180206, -0.5525175195674986, -0.084480671048445, 0.4232887571115902,
			0.5532611172299218, 0.6238514730505196, 0.4010347331472973, -0.4169356616363098, -0.6273850587099793, -0.5427654595103872, 0.23243107280047515, 0.5584209639860023, 0.6217767502406563}},
	{name: "max_pool", input: []int{1, 1, 4, 4}, build: func(x *Node) *Node { return x.MaxPool(2) },
		want: []float64{1.0, 0.18651236942257488, 0.9998586363834151, 0.7539022543433046}},
	{name: "avg_pool_same", input: []int{1, 1, 3, 3}, build: func(x *Node) *Node { return x.AvgPool(3, Strides(1), nx.Same) },
		want: []float64{0.03530819355733038, -0.049857311374953556, -0.10487441086385832, 0.001558365566427559, 0.0025668471352824967, 0.0020231722397888482, -0.1945352107985156, -0.21241196732968748, -0.10184453111406999}},
	{name: "lp_pool", input: []int{1, 1, 4, 4}, build: func(x *Node) *Node { return x.LPPool(2) },
		want: []float64{1.8302233846929445, 0.7475967869678158, 1.6640482763730613, 1.297582586339283}},
	{name: "adaptive_avg_pool", input: []int{1, 1, 5, 5}, build: func(x *Node) *Node { return x.AdaptiveAvgPool(2) },
		want: []float64{0.12028796147114375, -0.19028899404495384, -0.04980826567113133, -0.24521630870872368}},
	{name: "batch_norm_train", input: []int{4, 3, 2}, build: func(x *Node) *Node { return x.BatchNorm() }, training: true,
		params: params{"batch_norm_0": {"gamma": pv(1, 3), "beta": pv(2, 3)}},
		state:  params{"batch_norm_0": {"mean": nx.Zeros(nx.F64, 3), "var": nx.Ones(nx.F64, 3)}},
		want: []float64{1.2960210349645234, 1.1595005292348, 1.062510830484879, 0.5821841550171072, 0.07316793580099987, 0.07371990888090683, 0.4308524120331832, 0.8237520448389032,
			1.4935711696537526, 1.6532209618293274, 0.23554591020533866, 0.1780545064478431, 0.4140003484548857, 0.16527426081702534, 0.2792595936515351, 0.6030461926415687,
			0.18280591537177385, 0.23862550794422605, 1.2956927844485895, 1.1466744636712618, 1.0388580357113943, 0.5617284756158891, 0.07214064733665056, 0.07489973249119881},
		newState: map[string][]float64{"batch_norm_0.mean": {0.021703340466540533, -0.0045283101910997756, -0.023242668357235083},
			"batch_norm_0.var": {0.9525210110512746, 0.9407976431408908, 0.9543213386297461}}},
	{name: "batch_norm_inference", input: []int{4, 3, 2}, build: func(x *Node) *Node { return x.BatchNorm() },
		params: params{"batch_norm_0": {"gamma": pv(1, 3), "beta": pv(2, 3)}},
		state:  params{"batch_norm_0": {"mean": pv(0.1, 3), "var": nx.Add(nx.Abs(pv(1, 3)), nx.Number(0.5))}},
		want: []float64{1.2614924779335086, 1.158382958889954, 0.9672308473856426, 0.6532266193716709, 0.052445721935703404, 0.0529843049573534, 0.608058621054653, 0.9048029962270547,
			1.2490281656302438, 1.3533961141641495, 0.21088464457090328, 0.15478789804147075, 0.5953308029062959, 0.40747603974934143, 0.4551955753006038, 0.6668647709748229,
			0.15942404474590177, 0.21388953578037306, 1.2612445609437286, 1.148695846727509, 0.9517682925400514, 0.6398541165586104, 0.051443353984482534, 0.05413550777534616}},
	{name: "instance_norm_train", input: []int{4, 3, 2}, build: func(x *Node) *Node { return x.InstanceNorm() }, training: true,
		params: params{"instance_norm_0": {"gamma": pv(1, 3), "beta": pv(2, 3)}},
		state:  params{"instance_norm_0": {"mean": nx.Zeros(nx.F64, 3), "var": nx.Ones(nx.F64, 3)}},
		want: []float64{1.2620543927682357, 0.420887576847557, 1.3639261733610757, 0.4546686802902877, 0.09358377329588491, 0.1886562428238477, 0.42075386304906875, 1.2621881065667242,
			0.4548293545128339, 1.3637654991385295, 0.21167609931028208, 0.07056391680945234, 1.2621606416617985, 0.4207813279539945, 0.4546926505217272, 1.3639022031296364,
			0.07056415467580603, 0.21167586144392841, 1.262078821844736, 0.4208631477710574, 1.3639259048972647, 0.4546689487540987, 0.07220001603962989, 0.21004000008010507}},
	{name: "layer_norm", input: []int{2, 4}, build: func(x *Node) *Node { return x.LayerNorm() },
		params: params{"layer_norm_0": {"gamma": pv(1, 4), "beta": pv(2, 4)}},
		want:   []float64{1.3054894367716485, 1.2271984414876953, 0.11840769160981464, -0.19668867291516556, 0.47930164191546376, 0.5236248456181314, 0.1495957573509639, -1.3580693507855908}},
	{name: "rms_norm", input: []int{2, 4}, build: func(x *Node) *Node { return x.RMSNorm() },
		params: params{"rms_norm_0": {"gamma": pv(1, 4)}},
		want:   []float64{0.6155509536924576, 0.5087479356368384, 0.017546012312197434, 0.27949009931158303, -0.5551242106680424, -0.5961990548692896, -0.04844103422762944, -0.09882977814986905}},
	{name: "group_norm", input: []int{2, 4, 3}, build: func(x *Node) *Node { return x.GroupNorm(2) },
		params: params{"group_norm_0": {"gamma": pv(1, 4), "beta": pv(2, 4)}},
		want: []float64{1.4252612035285113, 1.2975308133613725, 0.9744132411979625, 0.6568733172849195, 0.4001550184066629, 0.4035391728371598, 0.017014610856644213, 0.11173232790636778,
			0.19417324661059135, -1.2096618135503956, -1.0250582271240427, -0.5743291423534067, 0.7027773499789655, 0.4133506539954236, 0.4250344664768696, 0.7913631820312061,
			1.2866983264033984, 1.7123357795149783, 0.24066324586370855, 0.2171798807579357, 0.16173769637044594, -0.5384925006262525, -0.33273819035474894, -0.3468781718474093}},
	{name: "lstm_dynamic", input: []int{2, 3, 2}, build: func(x *Node) *Node { s, _, _ := x.LSTM(2); return s },
		params: params{"lstm_0": {"kernel": pv(1, 2, 8), "recurrent_kernel": pv(0.8, 2, 8), "bias": pv(0.3, 8)}},
		want: []float64{-0.18652995885861443, 0.07262713878918364, -0.13656938531828464, -0.0495444757216484, -0.04196566876168151, -0.10019210716865383,
			0.03167148446189497, 0.02588093921737228, -0.11618858787178452, 0.12155938436221095, -0.18631379322629288, 0.04564598808805201}},
	{name: "lstm_static_cell", input: []int{2, 3, 2}, build: func(x *Node) *Node { _, _, c := x.LSTM(2, Static); return c },
		params: params{"lstm_0": {"kernel": pv(1, 2, 8), "recurrent_kernel": pv(0.8, 2, 8), "bias": pv(0.3, 8)}},
		want:   []float64{-0.11626600625436484, -0.2304434799002423, -0.32227173912143464, 0.07520615485317383}},
	{name: "gru", input: []int{2, 3, 2}, build: func(x *Node) *Node { s, _ := x.GRU(2); return s },
		params: params{"gru_0": {"kernel": pv(1, 2, 6), "recurrent_kernel": pv(0.8, 2, 6), "bias": pv(0.3, 6), "recurrent_bias": pv(0.2, 6)}},
		want: []float64{-0.3436132747312405, -0.26458940677777254, -0.11107198399872523, -0.08636276941295383, 0.31383765398425933, 0.07303025022023459,
			-0.025246144090162112, -0.019560546961109697, -0.35216364546997203, -0.28323598671180955, -0.4023098352487931, -0.20165408363542653}},
}

func TestKnownValues(t *testing.T) {
	for _, c := range knownCases {
		t.Run(c.name, func(t *testing.T) {
			model := c.build(Input("x", append([]int{-1}, c.input[1:]...)...))
			state := &ModelState{Params: c.params, State: c.state}
			x := xv(c.input...)
			var out *nx.Tensor
			if c.training {
				_, train := model.BuildTrain()
				var next *ModelState
				out, next = nx.Jit(train)(state, x, random.Key(0))
				for name, want := range c.newState {
					assertValues(t, name, next.Tensors()[name], want, 1e-12)
				}
			} else {
				_, predict := model.Build()
				out = predict(state, x)
			}
			assertValues(t, "output", out, c.want, 1e-12)
		})
	}
}

func TestConvTransposeKnownValues(t *testing.T) {
	model := Input("x", -1, 2, 3, 3).ConvTranspose(2, 3, Strides(2))
	_, predict := model.Build()
	out := predict(&ModelState{Params: params{"conv_transpose_0": {"kernel": pv(1, 2, 2, 3, 3), "bias": pv(1, 2)}}}, xv(1, 2, 3, 3))
	// The first row of the first channel, from NumPy (input dilated by 2,
	// padded by 2 on each side, cross-correlated with the kernel).
	want := []float64{0.2513541927755949, 0.4347838230890746, 0.479814795632064, 0.43668708685763674, 0.5408879398081129, 0.43108806650409, 0.4544901381727223}
	assertValues(t, "first row", nx.Slice(out, []int{0, 0, 0, 0}, []int{1, 1, 1, 7}), want, 1e-12)
	// And the last row of the second channel.
	want = []float64{0.4844817347908388, 0.3886492784887731, 0.3312320984021703, 0.4724260512009082, 0.4322329134749482, 0.5478418641727497, 0.6192440349240411}
	assertValues(t, "last row", nx.Slice(out, []int{0, 1, 6, 0}, []int{1, 1, 1, 7}), want, 1e-12)
}

func TestDropoutModes(t *testing.T) {
	model := Input("x", -1, 1000).Dropout(0.25)
	init, predict := model.Build()
	_, train := model.BuildTrain()
	x := nx.Ones(nx.F32, 4, 1000)
	state := init(random.Key(0), nil)
	assertClose(t, "inference", predict(state, x), x, 0)
	out, _ := train(state, x, random.Key(1))
	zeros := 0
	for _, v := range out.Float64s() {
		switch {
		case v == 0:
			zeros++
		case math.Abs(v-1/0.75) > 1e-6:
			t.Fatalf("kept value %v, want 1/(1-rate)", v)
		}
	}
	if frac := float64(zeros) / 4000; math.Abs(frac-0.25) > 0.03 {
		t.Errorf("dropped %.3f of the elements, want 0.25", frac)
	}
	again, _ := train(state, x, random.Key(1))
	other, _ := train(state, x, random.Key(2))
	assertClose(t, "same key", again, out, 0)
	if nx.All(nx.Equal(other, out)).Float64() == 1 {
		t.Error("another key gave the same mask")
	}
	// Alpha dropout keeps mean 0 and variance 1 of standard normal input.
	xs, _ := random.Normal(random.Key(3), 0, 1, nx.Shape{20000}, nx.F64)
	_, alpha := Input("x", -1).AlphaDropout(0.2).BuildTrain()
	y, _ := alpha(&ModelState{}, xs, random.Key(4))
	mean := nx.Mean(y).Float64()
	std := nx.StandardDeviation(y).Float64()
	if math.Abs(mean) > 0.03 || math.Abs(std-1) > 0.03 {
		t.Errorf("alpha dropout: mean %v, std %v, want 0 and 1", mean, std)
	}
}

func TestCustomLayerAndParam(t *testing.T) {
	x := Input("x", -1, 3)
	scale := Param("scale", func(in ...nx.Shape) nx.Shape { return in[0][1:] }, nil).WithRegularizer(L2(1))
	count := Param("count", FixedShape(), initializers.Zeros()).AsState()
	model := Layer("scaled", func(c *Call) *nx.Tensor {
		if c.Training() {
			c.Update("count", nx.Add(c.Param("count"), nx.Number(1.0)))
		}
		return nx.Multiply(c.Input(0), c.Param("scale"))
	}, []*Node{x}, []*Parameter{scale, count}, Name("mine"))
	init, predict := model.Build()
	state := init(random.Key(0), nil)
	if s := state.Params["mine"]["scale"]; s == nil || !s.Shape().Equal(nx.Shape{3}) {
		t.Fatalf("params %v", state)
	}
	in := nx.FromSlice([]float32{1, 2, 3}, 1, 3)
	assertClose(t, "predict", predict(state, in), nx.Multiply(in, state.Params["mine"]["scale"]), 1e-7)
	_, train := model.BuildTrain()
	_, next := train(state, in, nil)
	if got := next.State["mine"]["count"].Float64(); got != 1 {
		t.Errorf("state count %v after one training call", got)
	}
	if p := model.Penalty(state).Float64(); math.Abs(p-nx.Sum(nx.Square(state.Params["mine"]["scale"])).Float64()) > 1e-6 {
		t.Errorf("penalty %v", p)
	}
}

func TestMaskedRecurrence(t *testing.T) {
	// Token ids with padding 0 at the end of the second sequence: the final
	// state of that sequence is its state after its last real token.
	ids := nx.FromSlice([]int64{3, 1, 2, 4, 2, 0}, 2, 3)
	tokens := Input("ids", -1, 3)
	for _, unroll := range []Unroll{Dynamic, Static} {
		emb := tokens.Embedding(5, 2)
		seq, h := emb.GRU(3, Mask(tokens.Mask(0)), unroll)
		init, predict := Container(map[string]*Node{"seq": seq, "h": h}).BuildContainer()
		state := init(random.Key(0), ids)
		out := predict(state, ids)
		last := nx.Slice(out["seq"], []int{1, 1, 0}, []int{1, 1, 3})
		assertClose(t, "final state of the padded sequence", nx.Reshape(nx.Slice(out["h"], []int{1, 0}, []int{1, 3}), 1, 1, 3), last, 1e-6)
		padded := nx.Slice(out["seq"], []int{1, 2, 0}, []int{1, 1, 3})
		assertClose(t, "output at padding", padded, nx.Zeros(nx.F32, 1, 1, 3), 0)
	}
}
