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
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  = make(chan int)
	)
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := f(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}

// Each calls f on every value of seq, on up to GOMAXPROCS goroutines, as
// seq yields them: a sequence made as it is read is never held whole. It
// returns the first error, and stops reading seq after it.
func Each[T any](seq iter.Seq[T], f func(T) error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  = make(chan T)
	)
	failed := func() bool { mu.Lock(); defer mu.Unlock(); return first != nil }
	for range runtime.GOMAXPROCS(0) {
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
	for v := range seq {
		if failed() {
			break
		}
		next <- v
	}
	close(next)
	wg.Wait()
	return first
}
