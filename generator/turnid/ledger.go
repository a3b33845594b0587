package turnid

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"github.com/ogarchive/ogarchive/generator/atomicfile"
	"io/fs"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/ogarchive/ogarchive/generator/model"
)

// Ledger remembers, per record file, the ids of its turns, the ids retired
// from it, the paths it was published under and its short-link key. The
// zero value is not usable; get one from Load.
//
// Assign may run concurrently for different records (AssignAll does);
// everything else is meant to run before (Load, Sync) or after (Retired,
// Published, Lookup, Save) the assignment of a build, not during it.
type Ledger struct {
	mu      sync.Mutex
	records map[string]*entry // by file name
	keys    map[string]string // short-link key → file name
	deleted map[string]string // short-link key of a deleted record → its file name
	pending map[string][]sketch
}

type entry struct {
	key     string
	hash    string   // first 16 hex digits of the source's SHA-256; "" unknown
	slugs   []string // sorted
	turns   []turn
	retired map[string]string // retired id → live id
}

type turn struct {
	id string
	sk sketch
}

const hashLen = 16

// header opens every saved ledger; Load skips it like any comment.
const header = `# Turn ids of the records: written by ` + "`ogarchive build`" + `, commit it with them.
# Do not edit by hand. Format (TAB-separated), see generator/turnid:
#   @ key hash file   a record    / slug   a path it was published under
#   id sketch         a turn      - old id a retired id and the id it resolves to
#   x key file        the key of a deleted record, never given to another
`

// Load reads the ledger at path. A missing file is an empty ledger: the
// first build derives every id from content.
func Load(path string) (*Ledger, error) {
	l := &Ledger{records: map[string]*entry{}, keys: map[string]string{}, deleted: map[string]string{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return nil, err
	}
	if err := l.parse(data); err != nil {
		return nil, fmt.Errorf("%s:%w", path, err)
	}
	return l, nil
}

// lineError is a problem on one line of a ledger; it formats as
// "<line>: <message>" so that Load can prefix the path.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string {
	return fmt.Sprintf("%d: %s; fix the line, or restore the file from version control", e.line, e.msg)
}

func (l *Ledger) parse(data []byte) error {
	var e *entry
	var file string
	ids := map[string]bool{}
	for n := 1; len(data) > 0; n++ {
		line := data
		if k := bytes.IndexByte(data, '\n'); k >= 0 {
			line, data = data[:k], data[k+1:]
		} else {
			data = nil
		}
		s := strings.TrimSuffix(string(line), "\r")
		if s == "" || s[0] == '#' {
			continue
		}
		for _, m := range []string{"<<<<<<<", "=======", ">>>>>>>"} {
			if strings.HasPrefix(s, m) {
				return &lineError{n, "unresolved merge conflict: keep either side whole, then run `ogarchive build` to bring the ledger up to date"}
			}
		}
		f := strings.Split(s, "\t")
		switch f[0] {
		case "@":
			if len(f) != 4 || f[3] == "" || !isBase32(f[1]) || (f[2] != "-" && !isHex(f[2], hashLen)) {
				return &lineError{n, "a record line is @<TAB>key<TAB>hash<TAB>file"}
			}
			file = f[3]
			if l.records[file] != nil {
				return &lineError{n, fmt.Sprintf("%s is listed twice", file)}
			}
			if other := l.keys[f[1]] + l.deleted[f[1]]; other != "" {
				return &lineError{n, fmt.Sprintf("key %s is also the key of %s", f[1], other)}
			}
			e = &entry{key: f[1], retired: map[string]string{}}
			if f[2] != "-" {
				e.hash = f[2]
			}
			l.records[file], l.keys[f[1]] = e, file
			clear(ids)
		case "x":
			if len(f) != 3 || !isBase32(f[1]) || f[2] == "" {
				return &lineError{n, "a deleted record line is x<TAB>key<TAB>file"}
			}
			if other := l.keys[f[1]] + l.deleted[f[1]]; other != "" {
				return &lineError{n, fmt.Sprintf("key %s is also the key of %s", f[1], other)}
			}
			l.deleted[f[1]] = f[2]
			e = nil // what follows belongs to no record
		case "/":
			if e == nil || len(f) != 2 || f[1] == "" {
				return &lineError{n, "a published path line is /<TAB>slug, after its record line"}
			}
			e.slugs = append(e.slugs, f[1])
		case "-":
			if e == nil || len(f) != 3 || !validID(f[1]) || !validID(f[2]) {
				return &lineError{n, "a retired id line is -<TAB>old id<TAB>id, after its record's turns"}
			}
			if _, dup := e.retired[f[1]]; dup || ids[f[1]] {
				return &lineError{n, fmt.Sprintf("id %s of %s is used twice", f[1], file)}
			}
			e.retired[f[1]] = f[2]
		default:
			sk, ok := sketch(0), len(f) == 2 && validID(f[0])
			if ok {
				sk, ok = parseSketch(f[1])
			}
			if e == nil || !ok || len(e.retired) > 0 {
				return &lineError{n, "a turn line is id<TAB>sketch, after its record line and before its retired ids"}
			}
			if ids[f[0]] {
				return &lineError{n, fmt.Sprintf("id %s of %s is used twice", f[0], file)}
			}
			ids[f[0]] = true
			e.turns = append(e.turns, turn{id: f[0], sk: sk})
		}
	}
	for file, e := range l.records {
		sort.Strings(e.slugs)
		for old, now := range e.retired {
			if !e.has(now) {
				return fmt.Errorf("0: retired id %s of %s resolves to %s, which is not one of its turns; restore the file from version control", old, file, now)
			}
		}
	}
	return nil
}

func (e *entry) has(id string) bool {
	for _, t := range e.turns {
		if t.id == id {
			return true
		}
	}
	return false
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Bytes is the ledger as Save writes it; comparing it with the committed
// file tells whether a build would change it (a check for CI).
func (l *Ledger) Bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	files := make([]string, 0, len(l.records))
	n := len(header)
	for f, e := range l.records {
		files = append(files, f)
		n += len(f) + 32 + 20*len(e.turns) + 24*len(e.retired)
		for _, s := range e.slugs {
			n += len(s) + 3
		}
	}
	sort.Strings(files)
	b := make([]byte, 0, n)
	b = append(b, header...)
	for _, f := range files {
		e := l.records[f]
		h := e.hash
		if h == "" {
			h = "-"
		}
		b = append(b, "@\t"+e.key+"\t"+h+"\t"+f+"\n"...)
		for _, s := range e.slugs {
			b = append(b, "/\t"+s+"\n"...)
		}
		for _, t := range e.turns {
			b = append(b, t.id...)
			b = append(b, '\t')
			b = append(b, t.sk.String()...)
			b = append(b, '\n')
		}
		old := make([]string, 0, len(e.retired))
		for o := range e.retired {
			old = append(old, o)
		}
		sort.Strings(old)
		for _, o := range old {
			b = append(b, "-\t"+o+"\t"+e.retired[o]+"\n"...)
		}
	}
	gone := make([]string, 0, len(l.deleted))
	for k := range l.deleted {
		gone = append(gone, k)
	}
	sort.Strings(gone)
	for _, k := range gone {
		b = append(b, "x\t"+k+"\t"+l.deleted[k]+"\n"...)
	}
	return b
}

// Save writes the ledger to path through a temporary file and a rename, so
// a crash never leaves half a ledger. When the file already holds the same
// bytes it is not touched.
func (l *Ledger) Save(path string) error {
	b := l.Bytes()
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
		return nil
	}
	return atomicfile.Write(path, b)
}

// Key is the short-link key of the record in file, "" if the ledger does
// not know it.
func (l *Ledger) Key(file string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e := l.records[file]; e != nil {
		return e.key
	}
	return ""
}

// Retired maps every retired id of the record in file to the id of the
// turn it now resolves to. The transcript page honours them (an empty
// element with the old id just before the surviving turn).
func (l *Ledger) Retired(file string) map[string]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]string{}
	if e := l.records[file]; e != nil {
		for o, n := range e.retired {
			out[o] = n
		}
	}
	return out
}

// Published maps each record file to every slug it has been published
// under, sorted, including the current one: the paths that must keep
// working (see redirect.Resolve).
func (l *Ledger) Published() map[string][]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string][]string, len(l.records))
	for f, e := range l.records {
		if len(e.slugs) > 0 {
			out[f] = append([]string(nil), e.slugs...)
		}
	}
	return out
}

// Lookup is the short-link table: each record's key → its page path
// (model.Record.URL), for the records given.
func (l *Ledger) Lookup(records []*model.Record) map[string]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string]string, len(records))
	for _, r := range records {
		if e := l.records[r.File]; e != nil {
			out[e.key] = r.URL()
		}
	}
	return out
}

// entryFor returns the entry of file, creating it (with a fresh key) if
// the ledger does not know the file. The caller holds l.mu.
func (l *Ledger) entryFor(file string) *entry {
	if e := l.records[file]; e != nil {
		return e
	}
	sum := sha256.Sum256([]byte(file))
	full := enc.EncodeToString(sum[:])
	key := full[:4]
	for k := 5; l.keys[key] != "" || l.deleted[key] != "" && l.deleted[key] != file; k++ {
		// A clash lengthens the key; past 52 characters (never, in
		// practice) padding keeps it base32.
		key = full[:min(k, len(full))] + strings.Repeat("a", max(0, k-len(full)))
	}
	e := &entry{key: key, retired: map[string]string{}}
	l.records[file], l.keys[key] = e, file
	delete(l.deleted, key) // the deleted record is back
	return e
}

// AssignAll runs Assign over records on every CPU and returns the ids each
// record retired in this run, by file (records that retired none are left
// out). Records the ledger does not know yet get their entries first, in
// file name order, as Sync would give them.
func (l *Ledger) AssignAll(records []*model.Record) map[string]map[string]string {
	files := make([]string, 0, len(records))
	for _, r := range records {
		files = append(files, r.File)
	}
	sort.Strings(files)
	l.mu.Lock()
	for _, f := range files {
		l.entryFor(f)
	}
	l.mu.Unlock()

	out := map[string]map[string]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan *model.Record)
	for w := runtime.GOMAXPROCS(0); w > 0; w-- {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				if ret := l.Assign(r); len(ret) > 0 {
					mu.Lock()
					out[r.File] = ret
					mu.Unlock()
				}
			}
		}()
	}
	for _, r := range records {
		next <- r
	}
	close(next)
	wg.Wait()
	return out
}

// Assign sets the ID of every turn of rec (narrative segments included),
// carrying ids over from the ledger as the package documentation explains,
// and records the result and rec.Slug. It returns the ids retired by this
// call, each mapped to the id of the turn it now resolves to; Retired lists
// them all. Assign on a record the ledger already describes changes
// nothing; when rec.Hash matches the ledger's and the number of turns is
// the same, the ids are copied without reading the text.
func (l *Ledger) Assign(rec *model.Record) map[string]string {
	l.mu.Lock()
	e := l.entryFor(rec.File)
	pre := l.pending[rec.File]
	delete(l.pending, rec.File)
	l.mu.Unlock()

	if rec.Slug != "" {
		k := sort.SearchStrings(e.slugs, rec.Slug)
		if k == len(e.slugs) || e.slugs[k] != rec.Slug {
			e.slugs = append(e.slugs, "")
			copy(e.slugs[k+1:], e.slugs[k:])
			e.slugs[k] = rec.Slug
		}
	}
	hash := ""
	if len(rec.Hash) >= hashLen && isHex(strings.ToLower(rec.Hash[:hashLen]), hashLen) {
		hash = strings.ToLower(rec.Hash[:hashLen])
	}
	if hash != "" && hash == e.hash && len(e.turns) == len(rec.Turns) {
		for i := range rec.Turns {
			rec.Turns[i].ID = e.turns[i].id
		}
		return nil
	}
	e.hash = hash

	cur := pre
	if len(cur) != len(rec.Turns) {
		cur = sketches(rec)
	}
	old := make([]sketch, len(e.turns))
	same := len(old) == len(cur)
	for i, t := range e.turns {
		old[i] = t.sk
		same = same && t.sk == cur[i]
	}
	if same {
		for i := range rec.Turns {
			rec.Turns[i].ID = e.turns[i].id
		}
		return nil
	}

	a := align(old, cur)
	turns := make([]turn, len(cur))
	live := make(map[string]bool, len(cur))
	for j, i := range a.from {
		if i >= 0 {
			turns[j] = turn{id: e.turns[i].id, sk: cur[j]}
			live[turns[j].id] = true
		}
	}
	gone := map[string]int{} // ids retired by this call → their old index
	for i, t := range e.turns {
		if a.to[i] < 0 || a.from[a.to[i]] != i {
			gone[t.id] = i
		}
	}
	for j := range turns {
		if turns[j].id != "" {
			continue
		}
		t := &rec.Turns[j]
		base := ContentID(t.Label, t.Text())
		id := base
		for n := 2; live[id]; n++ {
			id = base + "-" + strconv.Itoa(n)
		}
		// A retired id (earlier or just now) that a new turn's content
		// derives is taken back: the content it was minted for returned.
		delete(gone, id)
		delete(e.retired, id)
		turns[j] = turn{id: id, sk: cur[j]}
		live[id] = true
	}
	out := map[string]string{}
	for id, i := range gone {
		if a.to[i] >= 0 {
			out[id] = turns[a.to[i]].id
		}
	}
	for o, n := range e.retired {
		switch {
		case live[n]:
		case out[n] != "":
			e.retired[o] = out[n]
		default:
			delete(e.retired, o) // the record lost every turn
		}
	}
	for o, n := range out {
		e.retired[o] = n
	}
	e.turns = turns
	for i := range rec.Turns {
		rec.Turns[i].ID = turns[i].id
	}
	return out
}
