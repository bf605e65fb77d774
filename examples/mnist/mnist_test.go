package mnist

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"
)

var (
	loadOnce sync.Once
	loaded   *Data
	loadErr  error
)

// data loads MNIST once for all tests, skipping when the files are absent.
func data(t *testing.T) *Data {
	t.Helper()
	dir, err := FindData()
	if err != nil {
		t.Skip(err)
	}
	loadOnce.Do(func() {
		start := time.Now()
		loaded, loadErr = Load(context.Background(), dir)
		t.Logf("loaded MNIST in %v", time.Since(start))
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return loaded
}

// TestTrainOneEpoch trains on the real MNIST for one epoch (or, with -short,
// on 10000 examples) and checks the test accuracy against the PyTorch
// reference of 0.934 after one epoch.
func TestTrainOneEpoch(t *testing.T) {
	ctx := context.Background()
	d := data(t)
	cfg := Config{Epochs: 1, Seed: 1}
	want := 0.92 // PyTorch: 0.934 after one epoch on all 60000 examples
	if testing.Short() {
		cfg.TrainLimit, want = 10000, 0.85
	}
	if os.Getenv("GONX_MNIST_PROGRESS") != "" {
		cfg.Progress = os.Stderr
	}
	results, _, err := Train(ctx, d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 1 {
		t.Fatalf("%d epoch results, want 1", len(results))
	}
	r := results[0]
	t.Logf("epoch 1: loss %.4f, train accuracy %.4f, test accuracy %.4f, %.1fs, %.0f samples/s",
		r.Loss, r.TrainAccuracy, r.TestAccuracy, r.TrainTime.Seconds(), r.SamplesPerSec)
	if r.TestAccuracy < want {
		t.Errorf("test accuracy %.4f, want at least %.2f", r.TestAccuracy, want)
	}
}

// TestConvModelSubset trains ConvModel on 6400 examples and checks its
// accuracy on 2000 test images: convolutions train end to end.
func TestConvModelSubset(t *testing.T) {
	results, _, err := Train(context.Background(), data(t), Config{Model: ConvModel(), Epochs: 1, BatchSize: 64,
		LearningRate: 2e-3, Seed: 1, TrainLimit: 6400, TestLimit: 2000})
	if err != nil {
		t.Fatal(err)
	}
	r := results[0]
	t.Logf("conv net, 6400 examples: test accuracy %.4f, %.0f samples/s", r.TestAccuracy, r.SamplesPerSec)
	if r.TestAccuracy < 0.8 {
		t.Errorf("test accuracy %.4f, want at least 0.8", r.TestAccuracy)
	}
}
