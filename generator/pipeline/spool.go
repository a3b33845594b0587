package pipeline

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"

	"github.com/ogarchive/ogarchive/generator/kind"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/internal/parallel"
)

// A spool is the search documents of a cold build, made while the model is
// there and kept on disk until the index takes them: the model can then go
// before the index is built, which would otherwise hold both (at ten times
// the archive, 1.9 GB of model beside bleve's batches, and the collector
// marking the model again through the whole index stage).
type spool struct {
	f  *os.File
	at []span // each source's documents in f

	mu  sync.Mutex
	err error // the first read that failed
}

type span struct{ off, n int64 }

// spoolWindow is how many sources' documents are made at once, per core.
const spoolWindow = 16

// spoolSources writes every source's documents to a new file in dir and
// returns the spool and sources that read them back from it, one source at
// a time; remove deletes the file.
func spoolSources(dir string, srcs []kind.Source) (*spool, []kind.Source, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, err
	}
	f, err := os.CreateTemp(dir, ".search-docs-")
	if err != nil {
		return nil, nil, err
	}
	s := &spool{f: f, at: make([]span, len(srcs))}
	if err := s.write(srcs); err != nil {
		s.remove()
		return nil, nil, fmt.Errorf("spool search documents: %w", err)
	}
	out := make([]kind.Source, len(srcs))
	for i, src := range srcs {
		out[i] = kind.Source{Name: src.Name, Inputs: src.Inputs, Docs: func() []model.SearchDoc { return s.docs(i) }}
	}
	return s, out, nil
}

func (s *spool) write(srcs []kind.Source) error {
	w := bufio.NewWriterSize(s.f, 1<<20)
	window := spoolWindow * runtime.GOMAXPROCS(0)
	enc := make([][]byte, window)
	var size int64
	for lo := 0; lo < len(srcs); lo += window {
		n := min(window, len(srcs)-lo)
		parallel.Do(n, func(j int) error {
			enc[j] = encodeDocs(enc[j][:0], srcs[lo+j].Docs())
			return nil
		})
		for j := range n {
			if _, err := w.Write(enc[j]); err != nil {
				return err
			}
			s.at[lo+j] = span{size, int64(len(enc[j]))}
			size += int64(len(enc[j]))
		}
	}
	return w.Flush()
}

// docs reads the i-th source's documents back: none if they cannot be
// read, which Err then reports.
func (s *spool) docs(i int) []model.SearchDoc {
	b := make([]byte, s.at[i].n)
	_, err := s.f.ReadAt(b, s.at[i].off)
	var docs []model.SearchDoc
	if err == nil {
		docs, err = decodeDocs(b)
	}
	if err != nil {
		s.mu.Lock()
		if s.err == nil {
			s.err = fmt.Errorf("read spooled search documents of %s: %w", s.f.Name(), err)
		}
		s.mu.Unlock()
	}
	return docs
}

// Err is the first failure to read the spool back: the index built from
// it then lacks documents and must not be kept.
func (s *spool) Err() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// remove closes and deletes the spool's file; a nil spool has none.
func (s *spool) remove() {
	if s == nil {
		return
	}
	s.f.Close()
	os.Remove(s.f.Name())
}

// encodeDocs appends docs to b: their count, then each document's fields,
// a field the same as the document before's written as 0 (a record's
// documents share their source, title, date, kind and language).
func encodeDocs(b []byte, docs []model.SearchDoc) []byte {
	b = binary.AppendUvarint(b, uint64(len(docs)))
	for i := range docs {
		d := &docs[i]
		var prev [11]*string
		if i > 0 {
			prev = docFields(&docs[i-1])
		}
		for j, f := range docFields(d) {
			if prev[j] != nil && *f == *prev[j] {
				b = append(b, 0)
				continue
			}
			b = binary.AppendUvarint(b, uint64(len(*f))+1)
			b = append(b, *f...)
		}
		b = binary.AppendVarint(b, int64(d.Turn))
	}
	return b
}

// docFields are a document's strings, in the order encodeDocs writes them.
func docFields(d *model.SearchDoc) [11]*string {
	return [11]*string{&d.ID, &d.URL, &d.Source, &d.Speaker, &d.Date, &d.Title, &d.Kind, &d.Lang, &d.Text, &d.TwinURL, &d.TwinLang}
}

var errSpool = errors.New("damaged spool")

func decodeDocs(b []byte) ([]model.SearchDoc, error) {
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return v, true
	}
	count, ok := next()
	if !ok || count > uint64(len(b)) {
		return nil, errSpool
	}
	docs := make([]model.SearchDoc, count)
	for i := range docs {
		d := &docs[i]
		if i > 0 {
			*d = docs[i-1]
		}
		for _, f := range docFields(d) {
			n, ok := next()
			if !ok || n > uint64(len(b))+1 {
				return nil, errSpool
			}
			if n > 0 {
				*f, b = string(b[:n-1]), b[n-1:]
			}
		}
		t, n := binary.Varint(b)
		if n <= 0 {
			return nil, errSpool
		}
		d.Turn, b = int(t), b[n:]
	}
	if len(b) != 0 {
		return nil, errSpool
	}
	return docs, nil
}
