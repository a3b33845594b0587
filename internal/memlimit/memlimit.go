// Package memlimit keeps a soft limit on Go's memory that a large
// workload's live heap cannot pin the collector against.
//
// A fixed soft limit (debug.SetMemoryLimit) below the live heap makes the
// collector run back to back, up to half the CPU, while the heap stays
// above the limit anyway: a build of three times the archive took 499 s
// under a fixed 1.5 GiB limit and 229 s without one (docs/SCALING.md).
// Float keeps the limit at a floor while the live heap is small and
// lets it follow the live heap, with headroom, once it is not.
package memlimit

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Headroom is how far the limit floats above the live heap, as a
// fraction of it: the heap grows by half its live size between
// collections, as GOGC=50 would let it.
const Headroom = 0.5

// For returns the limit for a live heap of live bytes: floor, or live plus
// Headroom of it when that is more.
func For(live, floor int64) int64 {
	if f := float64(live) * (1 + Headroom); f > float64(floor) {
		return int64(min(f, math.MaxInt64/2))
	}
	return floor
}

// Float sets the soft limit to floor and, until stop is called, raises or
// lowers it after each collection to For(live heap, floor). stop restores
// the limit in force before.
func Float(floor int64) (stop func()) {
	before := debug.SetMemoryLimit(floor)
	done := make(chan struct{})
	finished := make(chan struct{})
	samples := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/gc/heap/live:bytes"}}
	go func() {
		defer close(finished)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		var cycles uint64
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(samples)
			if n := samples[0].Value.Uint64(); n != cycles {
				cycles = n
				debug.SetMemoryLimit(For(int64(samples[1].Value.Uint64()), floor))
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		debug.SetMemoryLimit(before)
	}
}
