// Package mnist trains the classic MNIST classifier end to end with axon: a
// multilayer perceptron 784-128-10 with ReLU, softmax cross-entropy and Adam
// (learning rate 1e-3) on batches of 128 images scaled to [0, 1], reporting the
// test accuracy after each epoch. It is the library behind cmd/mnist.
//
// The reference is PyTorch 1.13 on the CPU with the same model and settings:
// test accuracy 0.934 after epoch 1 and 0.972 after epoch 5.
package mnist

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/gonx-dev/gonx/axon"
	"github.com/gonx-dev/gonx/axon/losses"
	"github.com/gonx-dev/gonx/axon/metrics"
	"github.com/gonx-dev/gonx/axon/optim"
	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/scidata"
)

// Model returns the MLP: 28×28 images flattened, a dense layer of 128 ReLU
// units and a dense layer of 10 logits.
func Model() *axon.Node {
	return axon.Input("image", -1, 1, 28, 28).
		Flatten().
		Dense(128, axon.ReLU).
		Dense(10)
}

// ConvModel returns a small convolutional network: two 3×3 convolutions with
// stride 2 (8 and 16 filters, ReLU), then a dense layer of 10 logits.
func ConvModel() *axon.Node {
	return axon.Input("image", -1, 1, 28, 28).
		Conv(8, 3, axon.ReLU, axon.Strides(2)).
		Conv(16, 3, axon.ReLU, axon.Strides(2)).
		Flatten().
		Dense(10)
}

// Data is MNIST ready for training: images as f32 [n][1][28][28] in [0, 1] and
// labels as u8 [n].
type Data struct {
	TrainImages, TrainLabels *nx.Tensor
	TestImages, TestLabels   *nx.Tensor
}

// FindData returns the folder holding mnist/ with the IDX files: $GONX_DATA when
// set, else the first shared/data found walking up from the working directory
// (the project keeps it at ../shared/data from the repository root).
func FindData() (string, error) {
	if dir := os.Getenv("GONX_DATA"); dir != "" {
		return dir, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		cand := filepath.Join(dir, "shared", "data")
		if _, err := os.Stat(filepath.Join(cand, "mnist", "train-images-idx3-ubyte.gz")); err == nil {
			return cand, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("mnist: no shared/data/mnist above the working directory; set GONX_DATA")
		}
		dir = parent
	}
}

// Load reads MNIST from dataDir/mnist with scidata (offline: the files are
// verified against their published checksums, nothing is downloaded or
// written) and scales the pixels to [0, 1].
func Load(ctx context.Context, dataDir string) (*Data, error) {
	train, test, err := scidata.MNIST(ctx, scidata.CacheDir(dataDir), scidata.Offline(), scidata.Quiet())
	if err != nil {
		return nil, err
	}
	var d *Data
	err = nx.Try(func() {
		scale := func(x *nx.Tensor) *nx.Tensor { return nx.Divide(nx.AsType(x, nx.F32), nx.Number(255.0)) }
		d = &Data{TrainImages: scale(train.Images), TrainLabels: train.Labels,
			TestImages: scale(test.Images), TestLabels: test.Labels}
	})
	return d, err
}

// Config sets up a training run. The zero value of each field means the
// reference setting.
type Config struct {
	Epochs       int        // default 5
	BatchSize    int        // default 128
	LearningRate float64    // default 1e-3
	Seed         int64      // parameter initialization and shuffling
	TrainLimit   int        // train on the first n (shuffled) examples only; 0 for all
	TestLimit    int        // evaluate on the first n test examples only; 0 for all
	Model        *axon.Node // default Model()
	Progress     io.Writer
	// OnEpoch, when set, is called after each epoch.
	OnEpoch func(EpochResult)
}

// EpochResult reports one epoch.
type EpochResult struct {
	Epoch         int // from 1
	Loss          float64
	TrainAccuracy float64 // running average over the epoch's batches
	TestAccuracy  float64
	TrainTime     time.Duration // training only, without the evaluation
	SamplesPerSec float64       // training examples per second
}

// Train trains cfg.Model (default Model) on d and returns the result of each epoch and the final
// model state.
func Train(ctx context.Context, d *Data, cfg Config) ([]EpochResult, *axon.ModelState, error) {
	if cfg.Epochs == 0 {
		cfg.Epochs = 5
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = 128
	}
	if cfg.LearningRate == 0 {
		cfg.LearningRate = 1e-3
	}
	var results []EpochResult
	var trainStart time.Time
	var trainTime time.Duration
	dataOpts := []axon.DataOption{axon.Shuffle(uint64(cfg.Seed))}
	if cfg.TrainLimit > 0 {
		dataOpts = append(dataOpts, axon.Limit(cfg.TrainLimit))
	}
	train := axon.Batches(d.TrainImages, d.TrainLabels, cfg.BatchSize, dataOpts...)
	var testOpts []axon.DataOption
	if cfg.TestLimit > 0 {
		testOpts = append(testOpts, axon.Limit(cfg.TestLimit))
	}
	test := axon.Batches(d.TestImages, d.TestLabels, 1000, testOpts...)
	model := cfg.Model
	if model == nil {
		model = Model()
	}
	loop := axon.Trainer(model, losses.SoftmaxCrossEntropy, optim.Adam(cfg.LearningRate),
		axon.WithMetric("accuracy", metrics.Accuracy),
		axon.Validation(test),
		axon.Seed(cfg.Seed),
		axon.Progress(cfg.Progress),
		axon.OnEvent(axon.IterationStarted, func(s *axon.LoopState) axon.Action {
			if s.Iteration == 0 {
				trainStart = time.Now()
			}
			return axon.Continue
		}),
		axon.OnEvent(axon.IterationCompleted, func(s *axon.LoopState) axon.Action {
			trainTime = time.Since(trainStart)
			return axon.Continue
		}),
		axon.OnEvent(axon.EpochCompleted, func(s *axon.LoopState) axon.Action {
			r := EpochResult{Epoch: s.Epoch + 1, Loss: s.Metrics["loss"], TrainAccuracy: s.Metrics["accuracy"],
				TestAccuracy: s.Metrics["validation_accuracy"], TrainTime: trainTime,
				SamplesPerSec: float64(s.Samples) / trainTime.Seconds()}
			results = append(results, r)
			if cfg.OnEpoch != nil {
				cfg.OnEpoch(r)
			}
			return axon.Continue
		}))
	state, err := loop.Run(ctx, train, nil, axon.Epochs(cfg.Epochs))
	if err != nil {
		return results, state, fmt.Errorf("mnist: %w", err)
	}
	return results, state, nil
}
