package memlimit

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestFor(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct{ live, floor, want int64 }{
		{0, 1536 * mib, 1536 * mib},
		{1000 * mib, 1536 * mib, 1536 * mib}, // the full archive: the floor holds
		{1024 * mib, 1536 * mib, 1536 * mib}, // live plus half is the floor exactly
		{3000 * mib, 1536 * mib, 4500 * mib}, // three times the archive: it floats
		{1 << 62, 1536 * mib, 1 << 62},       // no overflow
	} {
		if got := For(c.live, c.floor); got != c.want {
			t.Errorf("For(%d, %d) = %d, want %d", c.live, c.floor, got, c.want)
		}
	}
}

// TestFloat holds a live heap above the floor and checks that the limit
// rises to follow it, and that stop restores the limit before.
func TestFloat(t *testing.T) {
	const floor = 8 << 20
	before := debug.SetMemoryLimit(-1)
	stop := Float(floor)
	if got := debug.SetMemoryLimit(-1); got != floor {
		t.Errorf("limit %d at the start, want the floor %d", got, floor)
	}
	live := make([][]byte, 64)
	for i := range live {
		live[i] = make([]byte, 1<<20) // 64 MiB held
	}
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) < 64<<20 {
		if time.Now().After(deadline) {
			t.Fatalf("limit %d with 64 MiB live, want it above the live heap", debug.SetMemoryLimit(-1))
		}
		runtime.GC()
		time.Sleep(30 * time.Millisecond)
	}
	runtime.KeepAlive(live)
	stop()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit %d after stop, want %d as before", got, before)
	}
}
