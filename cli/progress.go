package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// progress reports long work as "stage count elapsed" on a terminal and
// stays quiet when output is a pipe or a CI log.
type progress struct {
	w       io.Writer
	live    bool
	start   time.Time
	stage   string
	stageAt time.Time
	last    time.Time
	times   []stageTime
}

type stageTime struct {
	name string
	d    time.Duration
}

func newProgress(w io.Writer) *progress {
	live := false
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) && os.Getenv("CI") == "" {
		live = true
	}
	now := time.Now()
	return &progress{w: w, live: live, start: now, stageAt: now}
}

// Stage starts a named stage, closing the previous one.
func (p *progress) Stage(name string) {
	p.end()
	p.stage, p.stageAt = name, time.Now()
	if p.live {
		fmt.Fprintf(p.w, "\r\033[K%-10s …", name)
	}
}

// Count updates the current stage's count, at most ten times a second.
func (p *progress) Count(done, total int) {
	if !p.live || (time.Since(p.last) < 100*time.Millisecond && done != total) {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\r\033[K%-10s %d/%d  %.1fs", p.stage, done, total, time.Since(p.start).Seconds())
}

func (p *progress) end() {
	if p.stage == "" {
		return
	}
	p.times = append(p.times, stageTime{p.stage, time.Since(p.stageAt)})
	if p.live {
		fmt.Fprintf(p.w, "\r\033[K")
	}
	p.stage = ""
}

// Done closes the last stage and returns the time of each.
func (p *progress) Done() []stageTime {
	p.end()
	return p.times
}
