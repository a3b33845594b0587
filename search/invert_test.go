package search

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestPasses: buckets are cut, in order, into passes of at most passBytes
// of lists, and a bucket larger than that is a pass of its own.
func TestPasses(t *testing.T) {
	defer func(n int) { passBytes = n }(passBytes)
	passBytes = 100
	for _, c := range []struct {
		name    string
		buckets [][]int // per bucket, its entries' postings sizes
		ends    []int
	}{
		{"one bucket", [][]int{{10}}, []int{1}},
		{"all fit", [][]int{{10, 20}, {30}, {40}}, []int{3}},
		{"cut where the next overflows", [][]int{{60}, {30}, {20}, {50}}, []int{2, 4}},
		{"a large bucket alone", [][]int{{10}, {500}, {10}}, []int{1, 2, 3}},
		{"empty buckets join", [][]int{{}, {100}, {}, {}}, []int{4}},
	} {
		inv := &inversion{buckets: len(c.buckets)}
		for _, sizes := range c.buckets {
			var list []int32
			for _, n := range sizes {
				list = append(list, int32(len(inv.size)))
				inv.size = append(inv.size, n)
			}
			inv.byBucket = append(inv.byBucket, list)
		}
		if got := inv.passes(); !slices.Equal(got, c.ends) {
			t.Errorf("%s: passes end at %v, want %v", c.name, got, c.ends)
		}
	}
}

// TestInvertInPasses: an export inverted a bucket per pass, its texts
// compressed a run at a time, gives the bytes of one made in a single
// pass, and leaves no log of compressed runs behind.
func TestInvertInPasses(t *testing.T) {
	f := testFixture(t)
	dir := t.TempDir()
	index := filepath.Join(dir, "index")
	if _, err := Build(context.Background(), index, f.docs, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	whole, err := Export(index, filepath.Join(dir, "whole"))
	if err != nil {
		t.Fatal(err)
	}
	defer func(n, r int) { passBytes, runsPerWindow = n, r }(passBytes, runsPerWindow)
	passBytes, runsPerWindow = 1, 1
	os.Remove(filepath.Join(index, unitsDir, blockCacheFile)) // compress again too
	os.Remove(filepath.Join(index, unitsDir, exportStateFile))
	split, err := Export(index, filepath.Join(dir, "split"))
	if err != nil {
		t.Fatal(err)
	}
	if whole.Terms != split.Terms || whole.Terms < 100 {
		t.Errorf("%d entries, then %d in passes", whole.Terms, split.Terms)
	}
	sameTree(t, "one pass vs a bucket per pass", readTree(t, filepath.Join(dir, "whole")), readTree(t, filepath.Join(dir, "split")))
	if logs, _ := filepath.Glob(filepath.Join(index, unitsDir, blockCacheFile+".*")); len(logs) > 0 {
		t.Errorf("left behind: %v", logs)
	}
}
