package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/ogarchive/ogarchive/generator/atomicfile"
	"github.com/ogarchive/ogarchive/internal/parallel"
)

// exportState is what an export leaves beside the index for the next one:
// the base segment it wrote or reused, the runs of documents that base
// numbers, in order, and the mean length its impacts were computed with.
type exportState struct {
	avgdl float64
	base  segment
	runs  []stateRun
}

type stateRun struct {
	key [32]byte
	n   int
}

const (
	exportStateFile  = "export.state"
	exportStateMagic = "ogxs2\n"
	// avgdlDrift: a delta is written while the mean length moved less
	// than 1/avgdlDrift of the base's.
	avgdlDrift = 50
)

// deltaShare: a delta is written while it holds at most 1/deltaShare of
// the documents. Past that, or avgdlDrift, the next export writes a new
// base, so that a client reads little twice and scores stay close to a
// fresh export's. A variable for the tests' small archive.
var deltaShare = 50

func newState(avgdl float64, runs []docRun, base segment) *exportState {
	st := &exportState{avgdl: avgdl, base: base, runs: make([]stateRun, len(runs))}
	for i, r := range runs {
		st.runs[i] = stateRun{key: r.key, n: r.end - r.lo}
	}
	return st
}

func saveState(indexDir string, st *exportState) error {
	seg, err := json.Marshal(st.base)
	if err != nil {
		return err
	}
	b := []byte(exportStateMagic)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(st.avgdl))
	b = binary.AppendUvarint(b, uint64(len(seg)))
	b = append(b, seg...)
	b = binary.AppendUvarint(b, uint64(len(st.runs)))
	for _, r := range st.runs {
		b = append(b, r.key[:]...)
		b = binary.AppendUvarint(b, uint64(r.n))
	}
	return atomicfile.Write(filepath.Join(indexDir, unitsDir, exportStateFile), b)
}

var errState = errors.New("damaged export state")

func readState(indexDir string) (*exportState, error) {
	b, err := os.ReadFile(filepath.Join(indexDir, unitsDir, exportStateFile))
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(b, []byte(exportStateMagic)) || len(b) < len(exportStateMagic)+8 {
		return nil, errState
	}
	b = b[len(exportStateMagic):]
	st := &exportState{avgdl: math.Float64frombits(binary.LittleEndian.Uint64(b))}
	b = b[8:]
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, errState
	}
	if err := json.Unmarshal(b[k:k+int(n)], &st.base); err != nil {
		return nil, errState
	}
	b = b[k+int(n):]
	if n, k = binary.Uvarint(b); k <= 0 || n > uint64(len(b)/33) {
		return nil, errState
	}
	b = b[k:]
	st.runs = make([]stateRun, n)
	docs := 0
	for i := range st.runs {
		if len(b) < 33 {
			return nil, errState
		}
		copy(st.runs[i].key[:], b)
		m, k := binary.Uvarint(b[32:])
		if k <= 0 || m == 0 || m > math.MaxInt32 {
			return nil, errState
		}
		st.runs[i].n = int(m)
		docs += int(m)
		b = b[32+k:]
	}
	if len(b) != 0 || docs != st.base.Docs {
		return nil, errState
	}
	return st, nil
}

// delta is what an export writes beside a reused base: the runs the base
// lacks, where each sorts among the base's documents, and the base's
// documents that are gone.
type delta struct {
	runs   []docRun // of the export's documents
	before []int    // per run, the base document it sorts before
	masked []int    // pairs first, end of base documents
}

// planDelta decides whether an export can reuse the base st describes, whose
// files are in prevDir, for the documents in runs: it returns the delta to
// write beside it, or nil for a new base (no state, the base's files
// missing or changed, the mean length moved, or the delta too large).
func planDelta(st *exportState, prevDir string, runs []docRun, avgdl float64) *delta {
	if st == nil || math.Abs(avgdl-st.avgdl)*avgdlDrift > st.avgdl || !intact(prevDir, st.base.files()) {
		return nil
	}
	// Base runs by key, in base order (a key may repeat: identical runs).
	starts := map[[32]byte][]int{}
	at := 0
	for _, r := range st.runs {
		starts[r.key] = append(starts[r.key], at)
		at += r.n
	}
	used := make(map[int]bool, len(st.runs))
	d := &delta{}
	added := 0
	var pending []int // delta runs waiting for the next base run
	for _, r := range runs {
		if s := starts[r.key]; len(s) > 0 {
			starts[r.key] = s[1:]
			used[s[0]] = true
			for range pending {
				d.before = append(d.before, s[0])
			}
			pending = pending[:0]
			continue
		}
		d.runs = append(d.runs, r)
		pending = append(pending, len(d.runs)-1)
		added += r.end - r.lo
	}
	for range pending {
		d.before = append(d.before, st.base.Docs)
	}
	at = 0
	for _, r := range st.runs {
		if !used[at] {
			if k := len(d.masked); k > 0 && d.masked[k-1] == at {
				d.masked[k-1] = at + r.n
			} else {
				d.masked = append(d.masked, at, at+r.n)
			}
		}
		at += r.n
	}
	total := 0
	for _, r := range runs {
		total += r.end - r.lo
	}
	if added*deltaShare > total {
		return nil
	}
	return d
}

// docs returns the delta's documents, numbered from 0, and its runs over
// them.
func (d *delta) docs(all []*exDoc) ([]*exDoc, []docRun) {
	var docs []*exDoc
	runs := make([]docRun, len(d.runs))
	for i, r := range d.runs {
		runs[i] = docRun{lo: len(docs), end: len(docs) + r.end - r.lo, key: r.key}
		docs = append(docs, all[r.lo:r.end]...)
	}
	return docs, runs
}

// intact reports whether every named file is in dir with the content its
// name was made from (see hashedName).
func intact(dir string, names []string) bool {
	err := parallel.Do(len(names), func(i int) error {
		name := names[i]
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		if !strings.Contains(filepath.Base(name), "-"+hex.EncodeToString(sum[:8])+".") {
			return errState
		}
		return nil
	})
	return err == nil
}

// Rebuilt reports whether a path of the published site (slash-separated,
// relative to its root) is one of the search files that an incremental
// build writes differently from a cold build of the same records: a
// rebuild adds a delta to the base a cold build would write anew. Such
// files answer queries alike (TestExportSegments) but are not the same
// bytes; Verify checks that they are whole.
func Rebuilt(rel string) bool {
	return strings.HasPrefix(rel, "search/"+immutableDir+"/") || rel == "search/manifest.json" || rel == "search/client.js"
}

// Verify checks an export in dir (public/search/): its manifest is one
// this package writes, and every file it names is there with the content
// its name was made from.
func Verify(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return err
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("%s: %v", filepath.Join(dir, "manifest.json"), err)
	}
	if m.Format != exportFormat || len(m.Segments) == 0 || m.Generation != m.digest() {
		return fmt.Errorf("%s: not a manifest of export format %d", filepath.Join(dir, "manifest.json"), exportFormat)
	}
	names := []string{m.Variants}
	for _, s := range m.Segments {
		names = append(names, s.files()...)
	}
	if !intact(dir, names) {
		return fmt.Errorf("%s: a file the manifest names is missing or changed", dir)
	}
	return nil
}
