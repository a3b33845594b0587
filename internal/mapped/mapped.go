// Package mapped reads files by mapping them into memory. A file read this
// way is not copied, and costs a page fault per few pages of the page cache
// rather than one per page of fresh memory, which on virtual machines is
// most of the cost of reading hundreds of megabytes into a build.
//
// The bytes are valid until Close, and must not be written. A file is
// replaced by writing a new one and renaming it over the old (see
// generator/atomicfile), which leaves a mapping of the old one intact.
package mapped

import (
	"os"
	"sync"

	"github.com/blevesearch/mmap-go"
)

// File is a file mapped read-only.
type File struct {
	m mmap.MMap
}

// Read maps the file at path.
func Read(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // the mapping outlives the descriptor
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() == 0 {
		return &File{}, nil // nothing to map; mmap refuses an empty file
	}
	m, err := mmap.Map(f, mmap.RDONLY, 0)
	if err != nil {
		return nil, &os.PathError{Op: "mmap", Path: path, Err: err}
	}
	return &File{m: m}, nil
}

// Bytes returns the file's contents.
func (f *File) Bytes() []byte { return f.m }

// Close unmaps the file: nothing may use its bytes afterwards.
func (f *File) Close() error {
	if f == nil || f.m == nil {
		return nil
	}
	err := f.m.Unmap()
	f.m = nil
	return err
}

// Set is the files mapped for one piece of work, closed together. Its
// methods may be called concurrently.
type Set struct {
	mu    sync.Mutex
	files []*File
}

// Read maps the file at path into the set.
func (s *Set) Read(path string) ([]byte, error) {
	f, err := Read(path)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.files = append(s.files, f)
	s.mu.Unlock()
	return f.Bytes(), nil
}

// Close unmaps every file of the set.
func (s *Set) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var first error
	for _, f := range s.files {
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	s.files = nil
	return first
}
