// Package cache is the build cache that makes a rebuild cost what changed:
// parsed transcripts by content, so an unchanged file is not parsed again;
// the keys of the files the last build generated, so unchanged pages are
// not rendered or written again; and what changed since the last build
// (records added, changed, removed), for the stages that update in place
// (the search index, the site).
//
// It lives in one directory (build/cache):
//
//	manifest.json     this build's program, record hashes and file keys
//	records/KEY.rec   one parsed transcript and the findings parsing it gave
//
// A parsed record is reused only by the same program (its Go build id), for
// the same file name and the same bytes; anything else, and any damage to
// the directory, simply means parsing again. Nothing in it is needed for a
// correct build: deleting it makes the next build a cold one.
package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/ogarchive/ogarchive/generator/diag"
	"github.com/ogarchive/ogarchive/generator/model"
	"github.com/ogarchive/ogarchive/internal/mapped"
)

// Cache is an open build cache. Its methods are safe for concurrent use.
type Cache struct {
	dir     string
	program string
	prev    manifest

	mu   sync.Mutex
	next manifest
}

// manifest is manifest.json.
type manifest struct {
	Program string                       `json:"program"`
	Records map[string]recordEntry       `json:"records"` // by file name
	Files   map[string]map[string]string `json:"files"`   // named sets: path → key
	Values  map[string]string            `json:"values"`
}

type recordEntry struct {
	Hash string `json:"hash"` // hex SHA-256 of the file, as Record.Hash
	Key  string `json:"key"`  // entry under records/
}

func newManifest(program string) manifest {
	return manifest{Program: program, Records: map[string]recordEntry{}, Files: map[string]map[string]string{}, Values: map[string]string{}}
}

// Open opens the cache in dir, creating it if needed. A missing, damaged
// or foreign cache opens empty.
func Open(dir string) (*Cache, error) {
	if err := os.MkdirAll(filepath.Join(dir, recordsDir), 0o755); err != nil {
		return nil, err
	}
	c := &Cache{dir: dir, program: Program()}
	c.prev = newManifest(c.program)
	if b, err := os.ReadFile(filepath.Join(dir, manifestFile)); err == nil {
		var m manifest
		if json.Unmarshal(b, &m) == nil && m.Records != nil && m.Files != nil && m.Values != nil {
			c.prev = m
		}
	}
	c.next = newManifest(c.program)
	return c, nil
}

const (
	manifestFile = "manifest.json"
	recordsDir   = "records"
)

// Warm reports whether the previous build left this cache: false for a
// cold build.
func (c *Cache) Warm() bool { return len(c.prev.Records) > 0 || len(c.prev.Files) > 0 }

// recordKey names the entry of file with content hash sum for this program.
func (c *Cache) recordKey(file, sum string) string {
	h := sha256.Sum256([]byte(codecVersion + "\x00" + c.program + "\x00" + file + "\x00" + sum))
	return hex.EncodeToString(h[:16])
}

// Record returns the record parsed from file with bytes src by an earlier
// build, and the findings parsing it gave; ok is false when there is none.
// Either way the file is remembered as part of this build.
func (c *Cache) Record(file string, src []byte) (rec *model.Record, findings []diag.Finding, ok bool) {
	sum := hashOf(src)
	key := c.recordKey(file, sum)
	c.mu.Lock()
	c.next.Records[file] = recordEntry{Hash: sum, Key: key}
	c.mu.Unlock()
	if prev, had := c.prev.Records[file]; !had || prev.Key != key {
		return nil, nil, false
	}
	// Mapped for good, not read: the record's strings point into it, and
	// the hundreds of megabytes of a full archive's entries cost far more
	// as fresh memory than as pages of the page cache.
	b, err := mapped.Keep(c.entryPath(key))
	if err != nil {
		return nil, nil, false
	}
	rec, findings, err = decodeEntry(b)
	if err != nil || rec.Hash != sum {
		return nil, nil, false
	}
	return rec, findings, true
}

// PutRecord stores rec, just parsed from file with bytes src, and the
// findings parsing it gave. rec is encoded at once, so the caller may
// change it afterwards.
func (c *Cache) PutRecord(file string, src []byte, rec *model.Record, findings []diag.Finding) error {
	sum := hashOf(src)
	key := c.recordKey(file, sum)
	c.mu.Lock()
	c.next.Records[file] = recordEntry{Hash: sum, Key: key}
	c.mu.Unlock()
	tmp := c.entryPath(key) + ".tmp"
	if err := os.WriteFile(tmp, encodeEntry(rec, findings), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, c.entryPath(key))
}

func (c *Cache) entryPath(key string) string { return filepath.Join(c.dir, recordsDir, key+".rec") }

func hashOf(src []byte) string {
	sum := sha256.Sum256(src)
	return hex.EncodeToString(sum[:])
}

// Changes are the transcripts added, changed and removed since the
// previous build, by file name, sorted. Changed means different bytes.
type Changes struct {
	Added, Changed, Removed []string
}

// Empty reports whether nothing changed.
func (ch Changes) Empty() bool {
	return len(ch.Added) == 0 && len(ch.Changed) == 0 && len(ch.Removed) == 0
}

// Changes compares the transcripts this build has seen (Record, PutRecord)
// with the previous build's. On a cold build every transcript is added.
func (c *Cache) Changes() Changes {
	c.mu.Lock()
	defer c.mu.Unlock()
	var ch Changes
	for f, e := range c.next.Records {
		if p, ok := c.prev.Records[f]; !ok {
			ch.Added = append(ch.Added, f)
		} else if p.Hash != e.Hash {
			ch.Changed = append(ch.Changed, f)
		}
	}
	for f := range c.prev.Records {
		if _, ok := c.next.Records[f]; !ok {
			ch.Removed = append(ch.Removed, f)
		}
	}
	sort.Strings(ch.Added)
	sort.Strings(ch.Changed)
	sort.Strings(ch.Removed)
	return ch
}

// Files returns the keys the previous build recorded for the named set of
// generated files (see SetFiles); empty on a cold build. The map is the
// caller's.
func (c *Cache) Files(name string) map[string]string {
	out := make(map[string]string, len(c.prev.Files[name]))
	for k, v := range c.prev.Files[name] {
		out[k] = v
	}
	return out
}

// SetFiles records this build's keys for the named set of files.
func (c *Cache) SetFiles(name string, keys map[string]string) {
	c.mu.Lock()
	c.next.Files[name] = keys
	c.mu.Unlock()
}

// Value returns what the previous build recorded under name (SetValue).
func (c *Cache) Value(name string) string { return c.prev.Values[name] }

// SetValue records a value of this build, e.g. the hash of its theme.
func (c *Cache) SetValue(name, v string) {
	c.mu.Lock()
	c.next.Values[name] = v
	c.mu.Unlock()
}

// Save writes this build's manifest, replacing the previous one, and
// deletes the entries no longer used. Call it when the build succeeded: a
// failed build keeps the previous manifest, so the next build compares
// with what was last published.
func (c *Cache) Save() error {
	c.mu.Lock()
	b, err := json.Marshal(c.next)
	used := map[string]bool{}
	for _, e := range c.next.Records {
		used[e.Key+".rec"] = true
	}
	c.mu.Unlock()
	if err != nil {
		return err
	}
	tmp := filepath.Join(c.dir, manifestFile+".tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(c.dir, manifestFile)); err != nil {
		return err
	}
	entries, err := os.ReadDir(filepath.Join(c.dir, recordsDir))
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !used[e.Name()] || strings.HasSuffix(e.Name(), ".tmp") {
			if err := os.Remove(filepath.Join(c.dir, recordsDir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}
