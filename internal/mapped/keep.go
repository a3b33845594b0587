package mapped

import (
	"os"
	"runtime"
	"sync"
	"time"
)

// Keep returns the contents of the file at path, mapped for the rest of
// the process: for files that strings of long-lived values point into,
// which could never be known unused. The file must be replaced by renaming
// (see generator/atomicfile), never rewritten in place. A file mapped
// before and unchanged since is not mapped again. On Windows, where a
// mapped file can be neither replaced nor removed, it is read instead.
func Keep(path string) ([]byte, error) {
	if runtime.GOOS == "windows" {
		return os.ReadFile(path)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	id := kept{path, st.Size(), st.ModTime()}
	keepMu.Lock()
	b, ok := keeps[id]
	keepMu.Unlock()
	if ok {
		return b, nil
	}
	f, err := Read(path)
	if err != nil {
		return nil, err
	}
	keepMu.Lock()
	keeps[id] = f.Bytes() // a file mapped twice at once stays mapped twice
	keepMu.Unlock()
	return f.Bytes(), nil
}

type kept struct {
	path string
	size int64
	mod  time.Time
}

var (
	keepMu sync.Mutex
	keeps  = map[kept][]byte{}
)
