package cache

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"io"
	"os"
	"sync"
)

// Program identifies the running program: its Go build id, which changes
// whenever any of its source does, so a parser fixed in a new version
// parses every file again. Where the build id cannot be read, a hash of
// the executable serves.
func Program() string {
	programOnce.Do(func() { program = readProgram() })
	return program
}

var (
	programOnce sync.Once
	program     string
)

func readProgram() string {
	exe, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	if f, err := elf.Open(exe); err == nil {
		defer f.Close()
		if s := f.Section(".note.go.buildid"); s != nil {
			if b, err := s.Data(); err == nil {
				// An ELF note: name size, descriptor size, type, "Go\0\0",
				// then the build id.
				if i := bytes.Index(b, []byte("Go\x00\x00")); i >= 0 && len(b) > i+4 {
					return string(bytes.TrimRight(b[i+4:], "\x00"))
				}
			}
		}
	}
	f, err := os.Open(exe)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unknown"
	}
	return hex.EncodeToString(h.Sum(nil))
}
