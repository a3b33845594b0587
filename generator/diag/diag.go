// Package diag carries findings about records: a file, a line, a severity
// and a message that tells the maintainer what is wrong and how to fix it.
package diag

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Severity of a finding.
type Severity int

// Severities, least severe first. Note is below Warning in order but not
// in value, so that the values of Warning and Error, which the build cache
// stores, stay as they were.
const (
	Warning Severity = iota
	Error
	// Note is a suggestion, not a problem (two speakers a bilingual pair
	// shows to be one, say): `check` shows it, but it is not counted and
	// fails nothing, not even --strict, as acting on it is a choice.
	Note Severity = -1
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Note:
		return "note"
	}
	return "warning"
}

// Finding is one problem in one place.
type Finding struct {
	File     string // path as the maintainer knows it, relative to the records directory
	Line     int    // 1-based; 0 when the finding concerns the whole file
	Severity Severity
	Message  string // what is wrong and how to fix it
}

// String formats the finding as `file:line: severity: message`.
func (f Finding) String() string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", f.File, f.Line, f.Severity, f.Message)
	}
	return fmt.Sprintf("%s: %s: %s", f.File, f.Severity, f.Message)
}

// List collects findings; it is safe for concurrent use.
type List struct {
	mu    sync.Mutex
	items []Finding
}

// Add records a finding.
func (l *List) Add(f Finding) {
	l.mu.Lock()
	l.items = append(l.items, f)
	l.mu.Unlock()
}

// Errorf records an error at file:line.
func (l *List) Errorf(file string, line int, format string, args ...any) {
	l.Add(Finding{File: file, Line: line, Severity: Error, Message: fmt.Sprintf(format, args...)})
}

// Warnf records a warning at file:line.
func (l *List) Warnf(file string, line int, format string, args ...any) {
	l.Add(Finding{File: file, Line: line, Severity: Warning, Message: fmt.Sprintf(format, args...)})
}

// Merge appends every finding of other.
func (l *List) Merge(other *List) {
	for _, f := range other.Sorted() {
		l.Add(f)
	}
}

// Sorted returns the findings ordered by file, line and message, so output
// is the same from run to run whatever the order of discovery.
func (l *List) Sorted() []Finding {
	l.mu.Lock()
	out := append([]Finding(nil), l.items...)
	l.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Message < b.Message
	})
	return out
}

// Count returns the number of errors and warnings; notes are neither.
func (l *List) Count() (errors, warnings int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, f := range l.items {
		switch f.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		}
	}
	return
}

// FilesWithErrors returns the set of files that have at least one error.
func (l *List) FilesWithErrors() map[string]bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	bad := map[string]bool{}
	for _, f := range l.items {
		if f.Severity == Error {
			bad[f.File] = true
		}
	}
	return bad
}

// Failed reports whether the findings fail a check: any error, or any
// warning when strict.
func (l *List) Failed(strict bool) bool {
	e, w := l.Count()
	return e > 0 || (strict && w > 0)
}

// String renders all findings, one per line, sorted.
func (l *List) String() string {
	var b strings.Builder
	for _, f := range l.Sorted() {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}
