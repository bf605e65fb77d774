// Command mnist trains the MNIST classifier of package examples/mnist — an MLP
// 784-128-10 with ReLU, softmax cross-entropy and Adam at 1e-3, batches of 128,
// pixels / 255 — and prints the test accuracy and training speed after each
// epoch.
//
//	go run ./examples/cmd/mnist -epochs 5
//
// The data comes from the project's shared data folder (found by walking up
// from the working directory to shared/data, or $GONX_DATA, or -data), read
// offline and verified by scidata.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/gonx-dev/gonx/axon"
	"github.com/gonx-dev/gonx/examples/mnist"
)

func main() {
	dataDir := flag.String("data", "", "folder holding mnist/ (default: $GONX_DATA or shared/data above the working directory)")
	epochs := flag.Int("epochs", 5, "epochs to train")
	batch := flag.Int("batch", 128, "batch size")
	lr := flag.Float64("lr", 1e-3, "Adam learning rate")
	seed := flag.Int64("seed", 0, "seed of the initialization and shuffling")
	limit := flag.Int("limit", 0, "train on this many examples only (0: all 60000)")
	save := flag.String("save", "", "write the trained model state to this .safetensors file")
	conv := flag.Bool("conv", false, "train the small convolutional network instead of the MLP")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg := mnist.Config{Epochs: *epochs, BatchSize: *batch, LearningRate: *lr,
		Seed: *seed, TrainLimit: *limit, Progress: os.Stderr}
	if *conv {
		cfg.Model = mnist.ConvModel()
	}
	if err := run(ctx, *dataDir, *save, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "mnist:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dataDir, save string, cfg mnist.Config) error {
	if dataDir == "" {
		var err error
		if dataDir, err = mnist.FindData(); err != nil {
			return err
		}
	}
	d, err := mnist.Load(ctx, dataDir)
	if err != nil {
		return err
	}
	cfg.OnEpoch = func(r mnist.EpochResult) {
		fmt.Printf("epoch %d: loss %.4f  train accuracy %.4f  test accuracy %.4f  %.1fs  %.0f samples/s\n",
			r.Epoch, r.Loss, r.TrainAccuracy, r.TestAccuracy, r.TrainTime.Seconds(), r.SamplesPerSec)
	}
	_, state, err := mnist.Train(ctx, d, cfg)
	if err != nil {
		return err
	}
	if save != "" {
		if err := axon.SaveFile(save, state, map[string]string{"model": "mnist mlp 784-128-10"}); err != nil {
			return err
		}
		fmt.Println("saved", save)
	}
	return nil
}
