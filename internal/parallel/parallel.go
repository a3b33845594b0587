// Package parallel runs independent pieces of work on every core.
package parallel

import (
	"iter"
	"runtime"
	"sync"
)

// Do calls f(0), …, f(n-1) on up to GOMAXPROCS goroutines and returns the
// first error; the other calls still run.
func Do(n int, f func(i int) error) error {
	in, _, wait := workers(min(n, runtime.GOMAXPROCS(0)), f)
	for i := range n {
		in <- i
	}
	close(in)
	return wait()
}

// Each calls f on every value of seq, on up to GOMAXPROCS goroutines, as
// seq yields them: a sequence made as it is read is never held whole. It
// returns the first error, and stops reading seq after it.
func Each[T any](seq iter.Seq[T], f func(T) error) error {
	in, failed, wait := workers(runtime.GOMAXPROCS(0), f)
	for v := range seq {
		if failed() {
			break
		}
		in <- v
	}
	close(in)
	return wait()
}

// workers starts n goroutines calling f on the values sent on in. Once in
// is closed, wait waits for them and returns the first error; failed
// reports whether there has been one so far.
func workers[T any](n int, f func(T) error) (in chan<- T, failed func() bool, wait func() error) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  = make(chan T)
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range next {
				if err := f(v); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	failed = func() bool { mu.Lock(); defer mu.Unlock(); return first != nil }
	wait = func() error { wg.Wait(); return first }
	return next, failed, wait
}
