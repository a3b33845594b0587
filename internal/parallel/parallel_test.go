package parallel

import (
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
)

func TestDo(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		var calls atomic.Int64
		seen := make([]atomic.Bool, n)
		err := Do(n, func(i int) error {
			calls.Add(1)
			if seen[i].Swap(true) {
				t.Errorf("n=%d: f(%d) called twice", n, i)
			}
			if i == 3 {
				return errors.New("three")
			}
			return nil
		})
		if calls.Load() != int64(n) {
			t.Errorf("n=%d: %d calls", n, calls.Load())
		}
		if want := n > 3; (err != nil) != want || err != nil && err.Error() != "three" {
			t.Errorf("n=%d: error %v", n, err)
		}
	}
}

// TestEach: every value once, the first error returned and the sequence
// no longer read after it, and values read as the workers take them, not
// all first.
func TestEach(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		var calls, yielded, ahead atomic.Int64
		seq := func(yield func(int) bool) {
			for i := range n {
				yielded.Add(1)
				ahead.Store(max(ahead.Load(), yielded.Load()-calls.Load()))
				if !yield(i) {
					return
				}
			}
		}
		seen := make([]atomic.Bool, n)
		err := Each(seq, func(i int) error {
			calls.Add(1)
			if seen[i].Swap(true) {
				t.Errorf("n=%d: f(%d) called twice", n, i)
			}
			if i == 500 {
				return errors.New("five hundred")
			}
			return nil
		})
		if want := n > 500; (err != nil) != want || err != nil && err.Error() != "five hundred" {
			t.Errorf("n=%d: error %v", n, err)
		}
		if n <= 500 && calls.Load() != int64(n) {
			t.Errorf("n=%d: %d calls", n, calls.Load())
		}
		if n > 500 && yielded.Load() == int64(n) {
			t.Errorf("n=%d: the whole sequence was read after an error at 500", n)
		}
		if limit := int64(runtime.GOMAXPROCS(0)) + 1; ahead.Load() > limit {
			t.Errorf("n=%d: %d values read ahead of the calls, want at most %d", n, ahead.Load(), limit)
		}
	}
}
