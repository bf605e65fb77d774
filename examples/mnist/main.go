// Command mnist trains an MNIST digit classifier with axon and prints the test
// accuracy after each epoch.
//
//	go run ./examples/mnist                 # MLP 784-128-10, 5 epochs (~2 s each)
//	go run ./examples/mnist -model cnn      # CNN, 3 epochs (minutes each on a CPU)
//
// Both models train with softmax cross-entropy and Adam at 1e-3 on batches of
// 128 images scaled to [0, 1] (package examples/mnist/internal/mnist has the
// recipe). The command prints the model's summary, then one line per epoch:
// the loss, the training and test accuracy, the training time and speed.
//
// The data comes through scidata.MNIST: the first run downloads the four
// files from the publishers (or from -mirror, else $SCIDATA_BASE_URL),
// verifies their SHA-256 against the published checksums and keeps them in
// the cache (-cache, else $SCIDATA_CACHE_DIR, else the user cache folder);
// later runs read the cache. -offline never downloads.
//
// Flags:
//
//	-model mlp|cnn     the network (default mlp)
//	-epochs N          epochs to train (default 5 for the MLP, 3 for the CNN)
//	-batch N, -lr X    batch size (128) and Adam learning rate (1e-3)
//	-seed N            initialization, dropout and shuffling (0)
//	-limit N           train on N examples only (0: all 60000)
//	-test-limit N      evaluate on N test examples only (0: all 10000)
//	-save FILE         write the trained model state as .safetensors
//	-backend cpu|cuda  where compiled steps run (default $NX_BACKEND, else the
//	                   GPU when one is present, else the CPU)
//	-cache DIR, -mirror URL, -offline   where the data comes from
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/gonx-dev/gonx/axon"
	"github.com/gonx-dev/gonx/examples/mnist/internal/mnist"
	"github.com/gonx-dev/gonx/nx"
	_ "github.com/gonx-dev/gonx/nx/cuda" // registers the GPU backend
	"github.com/gonx-dev/gonx/scidata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// defaultEpochs is the number of epochs of each model's recipe.
var defaultEpochs = map[string]int{"mlp": 5, "cnn": 3}

// options is what the flags select.
type options struct {
	model   string
	backend string
	cfg     mnist.Config
	save    string
	data    []scidata.Option
}

// parse reads the command line.
func parse(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("mnist", flag.ContinueOnError)
	fs.SetOutput(stderr)
	model := fs.String("model", "mlp", "the network: mlp or cnn")
	epochs := fs.Int("epochs", 0, "epochs to train (0: 5 for the MLP, 3 for the CNN)")
	batch := fs.Int("batch", 128, "batch size")
	lr := fs.Float64("lr", 1e-3, "Adam learning rate")
	seed := fs.Int64("seed", 0, "seed of the initialization, dropout and shuffling")
	limit := fs.Int("limit", 0, "train on this many examples only (0: all 60000)")
	testLimit := fs.Int("test-limit", 0, "evaluate on this many test examples only (0: all 10000)")
	save := fs.String("save", "", "write the trained model state to this .safetensors file")
	cache := fs.String("cache", "", "scidata cache folder (default $"+scidata.EnvCacheDir+" or the user cache folder)")
	mirror := fs.String("mirror", "", "download from this scidata mirror, BASE/mnist/FILE (default $"+scidata.EnvBaseURL+" or the publishers)")
	offline := fs.Bool("offline", false, "read the cache only, never download")
	backend := fs.String("backend", "", "cpu or cuda (default $NX_BACKEND, else cuda when a GPU is present, else cpu)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	m, err := mnist.Model(*model)
	if err != nil {
		return nil, err
	}
	switch {
	case *epochs < 0 || *batch < 1 || *lr <= 0 || *limit < 0 || *testLimit < 0:
		return nil, errors.New("-epochs, -limit and -test-limit must be at least 0, -batch at least 1, -lr positive")
	case *epochs == 0:
		*epochs = defaultEpochs[*model]
	}
	o := &options{model: *model, save: *save, backend: *backend, cfg: mnist.Config{Model: m, Epochs: *epochs, BatchSize: *batch,
		LearningRate: *lr, Seed: *seed, TrainLimit: *limit, TestLimit: *testLimit}}
	if *cache != "" {
		o.data = append(o.data, scidata.CacheDir(*cache))
	}
	if *mirror != "" {
		o.data = append(o.data, scidata.BaseURL(*mirror))
	}
	if *offline {
		o.data = append(o.data, scidata.Offline())
	}
	if isTerminal(stderr) {
		o.data = append(o.data, scidata.Progress(stderr))
		o.cfg.Progress = stderr
	} else {
		o.data = append(o.data, scidata.Quiet())
	}
	return o, nil
}

// run is the whole command, with its arguments and outputs given, for tests.
// It returns the exit status: 0, 1 when training fails, 2 for bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "mnist:", err)
		return 2
	}
	if err := train(ctx, o, stdout); err != nil {
		fmt.Fprintln(stderr, "mnist:", err)
		return 1
	}
	return 0
}

// selectBackend makes the named backend the default of compiled functions;
// with no name, NX_BACKEND's, else the GPU when one is present, else the CPU.
func selectBackend(name string) (string, error) {
	if name == "" {
		name = os.Getenv("NX_BACKEND")
	}
	if name == "" {
		if nx.SetBackend("cuda") == nil {
			return "cuda", nil
		}
		return nx.CPUBackend, nil
	}
	return name, nx.SetBackend(name)
}

// train loads the data, trains and reports.
func train(ctx context.Context, o *options, stdout io.Writer) error {
	backend, err := selectBackend(o.backend)
	if err != nil {
		return err
	}
	d, err := mnist.Load(ctx, o.data...)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "MNIST: %d training and %d test images (backend %s)\n", d.TrainLabels.Axis(0), d.TestLabels.Axis(0), backend)
	fmt.Fprint(stdout, o.cfg.Model.Summary())
	fmt.Fprintf(stdout, "training the %s for %d epochs: batches of %d, Adam %g, softmax cross-entropy\n",
		o.model, o.cfg.Epochs, o.cfg.BatchSize, o.cfg.LearningRate)
	o.cfg.OnEpoch = func(r mnist.EpochResult) { fmt.Fprintln(stdout, r) }
	_, state, err := mnist.Train(ctx, d, o.cfg)
	if err != nil {
		return err
	}
	if o.save != "" {
		meta := map[string]string{"model": "mnist " + o.model}
		if err := axon.SaveFile(o.save, state, meta); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "saved", o.save)
	}
	return nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
