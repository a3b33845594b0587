package main

import (
	"crypto/sha256"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// SiteFile is one file of a built site: its size and content hash.
type SiteFile struct {
	Size int64
	Hash [sha256.Size]byte
}

// Snapshot is every file of a built site, by slash-separated path
// relative to the site's root.
type Snapshot map[string]SiteFile

// SnapshotSite hashes every regular file under public.
func SnapshotSite(public string) (Snapshot, error) {
	s := Snapshot{}
	err := filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		n, err := io.Copy(h, f)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(public, p)
		var sf SiteFile
		sf.Size = n
		h.Sum(sf.Hash[:0])
		s[filepath.ToSlash(rel)] = sf
		return nil
	})
	return s, err
}

// Changed is what a deploy sends for one part of the site: files added,
// modified and removed, and the bytes of the added and modified ones.
type Changed struct {
	Added, Modified, Removed int64
	Bytes                    int64
}

// Files is the number of files changed.
func (c Changed) Files() int64 { return c.Added + c.Modified + c.Removed }

func (c *Changed) plus(o Changed) {
	c.Added += o.Added
	c.Modified += o.Modified
	c.Removed += o.Removed
	c.Bytes += o.Bytes
}

// Delta is how a rebuild changed the site, by content: what a deploy of
// it would upload and delete.
type Delta struct {
	Own    Changed // the changed record's own files: its page, its AKN and JSON exports
	Search Changed // search/
	Other  Changed // everything else
}

// Total is the whole site's change.
func (d Delta) Total() Changed {
	var t Changed
	for _, c := range []Changed{d.Own, d.Search, d.Other} {
		t.plus(c)
	}
	return t
}

// The parts of a site a Delta tells apart.
const (
	partOwn    = "own"
	partSearch = "search"
	partOther  = "other"
)

// partOf says which part of the site the file at rel (slash-separated,
// relative to the site root) belongs to; own holds the record's paths:
// directories ending in "/" (their whole tree) and files.
func partOf(rel string, own []string) string {
	for _, o := range own {
		if rel == o || strings.HasSuffix(o, "/") && strings.HasPrefix(rel, o) {
			return partOwn
		}
	}
	if strings.HasPrefix(rel, "search/") {
		return partSearch
	}
	return partOther
}

// Diff is the delta from before to after; own holds the paths of the
// changed record's own files (see partOf).
func Diff(before, after Snapshot, own []string) Delta {
	var d Delta
	part := func(rel string) *Changed {
		switch partOf(rel, own) {
		case partOwn:
			return &d.Own
		case partSearch:
			return &d.Search
		}
		return &d.Other
	}
	for rel, a := range after {
		b, ok := before[rel]
		switch {
		case !ok:
			c := part(rel)
			c.Added++
			c.Bytes += a.Size
		case b.Hash != a.Hash:
			c := part(rel)
			c.Modified++
			c.Bytes += a.Size
		}
	}
	for rel := range before {
		if _, ok := after[rel]; !ok {
			part(rel).Removed++
		}
	}
	return d
}

// RecordPaths are the site paths a record of the transcript file publishes
// as its own, as data/records.json of the site at public lists them: its
// page's directory, its aliases' directories, its AKN and its JSON; none
// when the site does not hold the record.
func RecordPaths(public, file string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(public, "data", "records.json"))
	if err != nil {
		return nil, err
	}
	var index struct {
		Records []struct {
			File, URL, JSON, AKN string
			Aliases              []string
		}
	}
	if err := json.Unmarshal(b, &index); err != nil {
		return nil, err
	}
	var own []string
	for _, r := range index.Records {
		if r.File != file {
			continue
		}
		for _, u := range []string{r.URL, r.JSON, r.AKN} {
			if p, _ := splitURL(u); p != "" {
				own = append(own, strings.TrimPrefix(p, "/"))
			}
		}
		for _, a := range r.Aliases {
			own = append(own, path.Clean(a)+"/")
		}
	}
	return own, nil
}

// deploys measures the deploy delta of each rebuild of the site at
// public: start before the rebuild, done after it.
type deploys struct {
	public string
	snap   Snapshot // the site before the rebuild
	own    []string // the changed record's paths in it
}

// start takes the site before a rebuild after a change of the transcript
// file ("" for none): the record's own paths are read from it too, so a
// record deleted has them.
func (d *deploys) start(file string) error {
	var err error
	if d.snap == nil {
		if d.snap, err = SnapshotSite(d.public); err != nil {
			return err
		}
	}
	d.own, err = recordPathsOf(d.public, file)
	return err
}

// done is what the rebuild changed since start.
func (d *deploys) done(file string) (Delta, error) {
	after, err := SnapshotSite(d.public)
	if err != nil {
		return Delta{}, err
	}
	own, err := recordPathsOf(d.public, file)
	if err != nil {
		return Delta{}, err
	}
	delta := Diff(d.snap, after, append(d.own, own...))
	d.snap = after
	return delta, nil
}

// recordPathsOf is RecordPaths, none for no file.
func recordPathsOf(public, file string) ([]string, error) {
	if file == "" {
		return nil, nil
	}
	return RecordPaths(public, file)
}

// MedianDelta is the median of each figure of ds.
func MedianDelta(ds []Delta) Delta {
	med := func(f func(Delta) int64) int64 {
		xs := make([]int64, len(ds))
		for i, d := range ds {
			xs[i] = f(d)
		}
		return MedianInt(xs)
	}
	part := func(p func(Delta) Changed) Changed {
		return Changed{
			Added:    med(func(d Delta) int64 { return p(d).Added }),
			Modified: med(func(d Delta) int64 { return p(d).Modified }),
			Removed:  med(func(d Delta) int64 { return p(d).Removed }),
			Bytes:    med(func(d Delta) int64 { return p(d).Bytes }),
		}
	}
	return Delta{
		Own:    part(func(d Delta) Changed { return d.Own }),
		Search: part(func(d Delta) Changed { return d.Search }),
		Other:  part(func(d Delta) Changed { return d.Other }),
	}
}
