package axon

import (
	"fmt"
	"maps"
	"math"
	"strings"
	"time"
)

// Event is a point of a training or evaluation loop at which handlers run, as
// Axon.Loop's events.
type Event int

// The events, in the order a loop meets them.
const (
	Started            Event = iota // before the first epoch
	EpochStarted                    // before each epoch
	IterationStarted                // before each batch
	IterationCompleted              // after each batch
	EpochHalted                     // when a handler halted the epoch
	EpochCompleted                  // after each epoch (and its validation)
	Halted                          // when a handler halted the loop
	Completed                       // after the last epoch
)

var eventNames = [...]string{"started", "epoch_started", "iteration_started", "iteration_completed",
	"epoch_halted", "epoch_completed", "halted", "completed"}

// String returns Axon's name of the event ("epoch_completed" ...).
func (e Event) String() string {
	if e >= 0 && int(e) < len(eventNames) {
		return eventNames[e]
	}
	return fmt.Sprintf("Event(%d)", int(e))
}

// Action is what a handler asks the loop to do next.
type Action int

// The actions.
const (
	Continue  Action = iota // go on
	HaltEpoch               // end the current epoch (the loop goes on with the next)
	HaltLoop                // end the loop, returning the state reached
)

// Handler runs at an event with the loop's state and says how to go on. It may
// change s.LRScale.
type Handler func(s *LoopState) Action

// LoopState is what handlers see of a running loop.
type LoopState struct {
	// Epoch counts epochs from 0; Epochs is how many the run was asked for.
	Epoch, Epochs int
	// Iteration counts the batches completed in this epoch; Step counts them
	// over the whole run.
	Iteration, Step int
	// Samples counts the examples of this epoch so far.
	Samples int
	// Metrics holds the running loss and metrics of the epoch ("loss",
	// "accuracy" ...) and, after validation, "validation_loss" ...
	Metrics map[string]float64
	// Elapsed is the time spent in this epoch.
	Elapsed time.Duration
	// LRScale multiplies every update of the optimizer (1 at the start);
	// ReduceLROnPlateau lowers it.
	LRScale float64

	model func() *ModelState
}

// Model returns the model state reached so far (nil in an evaluator).
func (s *LoopState) Model() *ModelState {
	if s.model == nil {
		return nil
	}
	return s.model()
}

// fire runs the handlers of ev and returns the strongest action they ask for.
func fire(h map[Event][]Handler, ev Event, s *LoopState) Action {
	action := Continue
	for _, fn := range h[ev] {
		action = max(action, fn(s))
	}
	return action
}

// improves reports whether value is better than best for the metric monitor:
// lower for losses and errors, higher for everything else.
func improves(monitor string, value, best float64) bool {
	if math.IsNaN(best) {
		return true
	}
	if minimized(monitor) {
		return value < best
	}
	return value > best
}

func minimized(monitor string) bool {
	return strings.Contains(monitor, "loss") || strings.Contains(monitor, "error")
}

// monitored returns the value of monitor, panicking with a clear message when
// the loop does not report it.
func monitored(op, monitor string, s *LoopState) float64 {
	v, ok := s.Metrics[monitor]
	if !ok {
		panic(loopError{fmt.Errorf("axon: %s: the loop reports no metric %q (it has %v)", op, monitor, sortedKeys(s.Metrics))})
	}
	return v
}

// EarlyStopping stops training when monitor ("validation_loss", "accuracy"
// ...) has not improved for patience epochs: losses and errors must fall, other
// metrics rise.
func EarlyStopping(monitor string, patience int) LoopOption {
	best, since := math.NaN(), 0
	return OnEvent(EpochCompleted, func(s *LoopState) Action {
		if s.Epoch == 0 {
			best, since = math.NaN(), 0
		}
		v := monitored("EarlyStopping", monitor, s)
		if improves(monitor, v, best) {
			best, since = v, 0
			return Continue
		}
		since++
		if since >= patience {
			return HaltLoop
		}
		return Continue
	})
}

// ReduceLROnPlateau multiplies the learning rate by factor when monitor has
// not improved for patience epochs, and then waits patience epochs again.
func ReduceLROnPlateau(monitor string, factor float64, patience int) LoopOption {
	best, since := math.NaN(), 0
	return OnEvent(EpochCompleted, func(s *LoopState) Action {
		if s.Epoch == 0 {
			best, since = math.NaN(), 0
		}
		v := monitored("ReduceLROnPlateau", monitor, s)
		if improves(monitor, v, best) {
			best, since = v, 0
			return Continue
		}
		since++
		if since >= patience {
			s.LRScale *= factor
			since = 0
		}
		return Continue
	})
}

// Checkpoint saves the model state after every epoch as a safetensors file:
// path may hold "{epoch}", replaced by the epoch number (from 1). The loop's
// metrics are stored in the file's metadata.
func Checkpoint(path string) LoopOption {
	return OnEvent(EpochCompleted, func(s *LoopState) Action {
		p := strings.ReplaceAll(path, "{epoch}", fmt.Sprint(s.Epoch+1))
		meta := map[string]string{"epoch": fmt.Sprint(s.Epoch + 1)}
		for k, v := range maps.All(s.Metrics) {
			meta[k] = fmt.Sprint(v)
		}
		if err := SaveFile(p, s.Model(), meta); err != nil {
			panic(loopError{fmt.Errorf("axon: checkpoint: %w", err)})
		}
		return Continue
	})
}
