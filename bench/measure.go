package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Run is one measured build.
type Run struct {
	Wall    time.Duration
	User    time.Duration
	Sys     time.Duration
	MaxRSS  int64                    // bytes, the largest resident set of the build process
	Stages  map[string]time.Duration // as the build reports them
	Order   []string                 // stage names in the order reported
	Outputs Outputs
}

// Outputs sizes what a build left behind.
type Outputs struct {
	Files, Bytes             int64 // the published site
	IndexBytes               int64 // the bleve index
	SearchFiles, SearchBytes int64 // the static search export inside the site
}

// stageLine is how `ogarchive build` reports a stage: "  name   1.23s".
var stageLine = regexp.MustCompile(`^\s+(\S+)\s+([0-9]+(?:\.[0-9]+)?)s$`)

// ParseStages reads the stage times from a build's standard output.
func ParseStages(out []byte) (map[string]time.Duration, []string) {
	stages := map[string]time.Duration{}
	var order []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := stageLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		sec, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			continue
		}
		if _, seen := stages[m[1]]; !seen {
			order = append(order, m[1])
		}
		stages[m[1]] += time.Duration(sec * float64(time.Second))
	}
	return stages, order
}

// Build runs the ogarchive binary as `bin args...` in dir and measures it.
func Build(dir, bin string, args ...string) (Run, error) {
	r, out, err := Measure(dir, bin, args...)
	if err == nil {
		r.Stages, r.Order = ParseStages(out)
	}
	return r, err
}

// Measure runs `bin args...` in dir and returns its times, its largest
// resident set and its standard output.
func Measure(dir, bin string, args ...string) (Run, []byte, error) {
	var r Run
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "CI=1") // no live progress lines
	start := time.Now()
	err := cmd.Run()
	r.Wall = time.Since(start)
	if err != nil {
		return r, nil, fmt.Errorf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, tail(stderr.Bytes(), 20))
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.MaxRSS = ru.Maxrss * 1024 // kilobytes on Linux
		r.User = time.Duration(ru.Utime.Nano())
		r.Sys = time.Duration(ru.Stime.Nano())
	}
	return r, stdout.Bytes(), nil
}

func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// DirSize counts the regular files under dir and their bytes; a missing
// directory is empty.
func DirSize(dir string) (files, size int64) {
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil && info.Mode().IsRegular() {
			files++
			size += info.Size()
		}
		return nil
	})
	return files, size
}

// Machine describes the computer the figures were taken on.
type Machine struct {
	CPU    string
	Cores  int
	Memory int64 // bytes
	Load   string
	Go     string
	OS     string
}

// ThisMachine reads /proc for what Go's runtime does not say.
func ThisMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				m.Memory = kb * 1024
			}
		}
	}
	m.Load = LoadAverage()
	return m
}

// LoadAverage is the 1-minute load average, to show how busy the machine
// was: other work on it slows the build.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// Median of durations; zero for none.
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// MedianInt of integers; zero for none.
func MedianInt(xs []int64) int64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]int64(nil), xs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Percentile is the nearest-rank p-quantile (0 < p < 1) of xs, taken as
// client/eval.mjs takes it; zero for none.
func Percentile[T int64 | time.Duration](xs []T, p float64) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}
