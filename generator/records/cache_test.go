package records

import (
	"reflect"
	"testing"

	"github.com/ogarchive/ogarchive/generator/cache"
)

// TestLoadCached checks that a build reusing parsed transcripts from the
// cache gets the archive and findings a fresh parse gives.
func TestLoadCached(t *testing.T) {
	const dir = "testdata/archive"
	want, wantD, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cdir := t.TempDir()
	for build := 1; build <= 2; build++ {
		c, err := cache.Open(cdir)
		if err != nil {
			t.Fatal(err)
		}
		got, gotD, err := Load(dir, Options{Cache: c})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("build %d: archive differs from a fresh parse", build)
		}
		if gotD.String() != wantD.String() {
			t.Errorf("build %d: findings\n%s\nwant\n%s", build, gotD, wantD)
		}
		ch := c.Changes()
		if build == 1 && len(ch.Added) == 0 || build == 2 && !ch.Empty() {
			t.Errorf("build %d: changes %+v", build, ch)
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
	}
}
