package parallel

import (
	"errors"
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
