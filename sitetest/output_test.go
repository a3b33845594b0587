package sitetest

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var updateOutput = flag.Bool("update-output", false, "rewrite testdata/output/*.sha256 from the sites built now")

// TestOutputUnchanged requires every published file of the default records,
// of the sample of real transcripts and (when given) of the corpus to have
// the bytes recorded in testdata/output: a refactoring must publish exactly
// what it published before. A change meant to alter the site records the
// new digests with -update-output, and the diff of testdata/output shows
// which files it altered.
//
// The corpus's digests are per top-level entry of the site (a record's
// directory, speakers/, search/...), to keep the file small, and hold for
// the corpus they were recorded from alone: another corpus is reported and
// not compared.
func TestOutputUnchanged(t *testing.T) {
	for _, c := range []struct {
		site    *builtSite
		grouped bool
	}{
		{defaultSite, false},
		{sampleSite, false},
		{corpusSite, true},
	} {
		t.Run(c.site.name, func(t *testing.T) {
			dir := c.site.Dir(t)
			got, err := hashTree(dir)
			if err != nil {
				t.Fatal(err)
			}
			if c.grouped {
				got = groupDigests(got)
			}
			records, err := recordsDigest(c.site.recs)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join(repoRoot, "sitetest", "testdata", "output", c.site.name+".sha256")
			if *updateOutput {
				if err := writeDigests(golden, records, got); err != nil {
					t.Fatal(err)
				}
				return
			}
			wantRecords, want, err := readDigests(golden)
			if err != nil {
				t.Fatalf("%v; record the digests with go test ./sitetest -run TestOutputUnchanged -update-output", err)
			}
			if c.grouped && wantRecords != records {
				t.Skipf("the digests in %s are of another corpus (records %.12s, here %.12s): nothing to compare with", golden, wantRecords, records)
			}
			diffs := hashDiffs(want, got)
			if len(diffs) > 0 {
				t.Errorf("the %s site differs from %s in %d file(s) (if meant, run with -update-output):\n%s",
					c.site.name, golden, len(diffs), strings.Join(diffs[:min(20, len(diffs))], "\n"))
			}
		})
	}
}

// groupDigests digests the files of each top-level entry together: name
// and content of each, in name order.
func groupDigests(files map[string]string) map[string]string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	groups := map[string][]string{}
	for _, n := range names {
		top, _, _ := strings.Cut(n, "/")
		groups[top] = append(groups[top], n+" "+files[n])
	}
	out := make(map[string]string, len(groups))
	for top, lines := range groups {
		sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
		out[top] = hex.EncodeToString(sum[:])
	}
	return out
}

// recordsDigest digests a records directory's files (names and bytes),
// the turn-id ledger a build writes aside.
func recordsDigest(dir string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == ".turn-ids" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sum := sha256.Sum256(data)
		fmt.Fprintf(h, "%s %x\n", filepath.ToSlash(rel), sum)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

// The digest files hold a "records <digest>" line, then "<digest> <name>"
// per file or group, sorted by name.
func writeDigests(path, records string, sums map[string]string) error {
	names := make([]string, 0, len(sums))
	for n := range sums {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "records %s\n", records)
	for _, n := range names {
		fmt.Fprintf(&b, "%s %s\n", sums[n], n)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func readDigests(path string) (records string, sums map[string]string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	sums = map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), " ")
		switch {
		case !ok:
			return "", nil, fmt.Errorf("%s: malformed line %q", path, sc.Text())
		case k == "records":
			records = v
		default:
			sums[v] = k
		}
	}
	return records, sums, sc.Err()
}
