// Package legacy carries the previous site's addresses over: it matches
// the speech and speaker lists archive.tw publishes (speech_index.json,
// speakers.json, and speeches in their /api/speech form) to this archive's
// records, speakers and turns, and writes the result as small
// TAB-separated files beside the records, which a maintainer commits and a
// build publishes:
//
//	legacy/speeches.tsv   old speech key<TAB>record file name (no .md):
//	                      read as `.redirects` lines, /<key>/ → the record
//	legacy/speakers.tsv   old speaker route<TAB>speaker key: /speaker/<route>
//	                      → the merged speaker page, resolved by the 404
//	                      page from lookup shards (8,000 routes would be
//	                      8,000 files of a host's 20,000)
//	legacy/sections.tsv   old section id<TAB>file#turn id: /speech/<id> →
//	                      the turn, resolved the same way (SectionsFile)
package legacy

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/ogarchive/ogarchive/generator/atomicfile"
	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/generator/slug"
	"github.com/ogarchive/ogarchive/generator/speakers"
)

// Files beside the records.
const (
	SpeechesFile = "legacy/speeches.tsv"
	SpeakersFile = "legacy/speakers.tsv"
)

// Speech is an entry of speech_index.json.
type Speech struct {
	Key     string `json:"filename"`
	Display string `json:"display_name"`
}

// Speaker is an entry of speakers.json; Route is percent-encoded.
type Speaker struct {
	Route string `json:"route_pathname"`
	Name  string `json:"name"`
}

// ReadJSON decodes one of the previous site's lists.
func ReadJSON[T any](path string) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []T
	if err := json.NewDecoder(f).Decode(&out); err != nil {
		return nil, fmt.Errorf("%s: %v (want the JSON array the previous site's API returns)", path, err)
	}
	return out, nil
}

// Row is one line of a mapping file.
type Row struct{ Old, New string }

// displayDate splits "2020-01-01 Title" into its date and title.
var displayDate = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})\s+(.*)$`)

// Finder finds the record a previous-site speech key names: by an address
// the record answers to (file name, slug, legacy slug, alias; direct
// reports that), else by the date and title the previous site displayed.
type Finder struct {
	addr, byTitle map[string]*model.Record
}

// NewFinder indexes the archive's records by their addresses and titles.
func NewFinder(a *model.Archive, legacySlugs map[string]string) *Finder {
	f := &Finder{addr: map[string]*model.Record{}, byTitle: map[string]*model.Record{}}
	for _, r := range a.Records {
		stem := r.Stem()
		for _, k := range append([]string{stem, r.Slug, legacySlugs[r.File]}, r.Aliases...) {
			if k != "" {
				f.addr[strings.ToLower(k)] = r
			}
		}
		f.byTitle[titleKey(r.Date.Format("2006-01-02"), r.Title)] = r
	}
	return f
}

// Find returns the record of key, and whether key is already one of its
// addresses.
func (f *Finder) Find(key, display string) (rec *model.Record, direct bool) {
	if r := f.addr[strings.ToLower(key)]; r != nil {
		return r, true
	}
	if r := f.addr[strings.ToLower(slug.Make(key))]; r != nil {
		return r, false
	}
	if m := displayDate.FindStringSubmatch(strings.TrimSpace(display)); m != nil {
		return f.byTitle[titleKey(m[1], m[2])], false
	}
	return nil, false
}

// MatchSpeeches maps each speech key to a record (Finder.Find). It returns
// the rows for keys that need one (a key the record answers to already
// needs no redirect) and the speeches it could not match.
func MatchSpeeches(f *Finder, ss []Speech) (rows []Row, unmatched []Speech, already int) {
	for _, s := range ss {
		switch r, direct := f.Find(s.Key, s.Display); {
		case r == nil:
			unmatched = append(unmatched, s)
		case direct:
			already++
		default:
			rows = append(rows, Row{s.Key, r.Stem()})
		}
	}
	return rows, unmatched, already
}

// titleKey compares titles as a reader would: punctuation and spacing
// aside, case folded.
func titleKey(date, title string) string {
	return date + " " + slug.Make(title)
}

// MatchSpeakers maps each speaker route to a speaker of the archive by its
// name (stray spaces and Unicode forms aside; `-2` duplicates are only
// routes) or one of the speaker's other names.
func MatchSpeakers(a *model.Archive, ps []Speaker) (rows []Row, unmatched []Speaker) {
	names := map[string]string{}
	keys := make([]string, 0, len(a.Speakers))
	for k := range a.Speakers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sp := a.Speakers[k]
		for _, n := range append([]string{sp.Key, sp.Name}, sp.Aliases...) {
			if n = strings.ToLower(speakers.Normalize(n)); n != "" && names[n] == "" {
				names[n] = k
			}
		}
	}
	for _, p := range ps {
		route, err := url.PathUnescape(p.Route)
		if err != nil || route == "" {
			unmatched = append(unmatched, p)
			continue
		}
		name := strings.ToLower(speakers.Normalize(p.Name))
		k := names[name]
		if k == "" {
			k = names[strings.ToLower(speakers.Parse(p.Name).Name)]
		}
		if k == "" {
			unmatched = append(unmatched, p)
			continue
		}
		rows = append(rows, Row{route, k})
	}
	return rows, unmatched
}

// WriteRows writes a mapping file, sorted, with a header saying what it is.
func WriteRows(path, header string, rows []Row) error {
	sort.Slice(rows, func(i, j int) bool { return rows[i].Old < rows[j].Old })
	var b strings.Builder
	for _, line := range strings.Split(header, "\n") {
		b.WriteString("# " + line + "\n")
	}
	for _, r := range rows {
		b.WriteString(r.Old + "\t" + r.New + "\n")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, []byte(b.String()))
}

// ReadSpeakerRoutes reads legacy/speakers.tsv under dir: route → speaker
// key, for speakers the archive has. A line it cannot use is a warning at
// its line, and the rest is read. A missing file has no routes.
func ReadSpeakerRoutes(dir string, known map[string]*model.Speaker, diags *diag.List) (map[string]string, error) {
	f, err := os.Open(filepath.Join(dir, SpeakersFile))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readRoutes(f, known, diags)
}

func readRoutes(r io.Reader, known map[string]*model.Speaker, diags *diag.List) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		route, key, ok := strings.Cut(line, "\t")
		switch {
		case !ok || route == "" || key == "" || strings.Contains(key, "\t"):
			diags.Warnf(SpeakersFile, n, "want an old speaker route, a TAB and a speaker key; rerun `ogarchive import-legacy` or fix the line")
		case known[key] == nil:
			diags.Warnf(SpeakersFile, n, "no speaker %q in the archive: fix the key (see speakers.toml), or rerun `ogarchive import-legacy`", key)
		case out[route] != "" && out[route] != key:
			diags.Warnf(SpeakersFile, n, "route %q already leads to %q: remove one of the lines", route, out[route])
		default:
			out[route] = key
		}
	}
	return out, sc.Err()
}

// SpeakerShards is how many lookup files WriteSpeakerShards spreads the
// routes over: a few kilobytes each for the archive's 8,000 routes, so
// the 404 page fetches one small file to resolve an old speaker address.
const SpeakerShards = 32

// Shard is the lookup file of a route: FNV-1a of its UTF-8 bytes modulo
// SpeakerShards (main.js computes the same).
func Shard(route string) int {
	h := uint32(2166136261)
	for i := 0; i < len(route); i++ {
		h = (h ^ uint32(route[i])) * 16777619
	}
	return int(h % SpeakerShards)
}

// WriteSpeakerShards writes dir/<shard>.json, each an object of routes
// (decoded) to the speaker page's site-relative URL.
func WriteSpeakerShards(dir string, routes map[string]string) error {
	if len(routes) == 0 {
		return nil
	}
	shards := make([]map[string]string, SpeakerShards)
	for route, key := range routes {
		s := Shard(route)
		if shards[s] == nil {
			shards[s] = map[string]string{}
		}
		shards[s][route] = "/speakers/" + key + "/"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, m := range shards {
		if m == nil {
			continue
		}
		data, err := json.Marshal(m) // map keys sorted: the same bytes every build
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.json", i)), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
