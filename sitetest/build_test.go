package sitetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ogarchive/ogarchive/cli"
)

// ogarchive returns the ogarchive command line as a child process: this
// test binary, re-executed with cliEnv set (see TestMain).
func ogarchive(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	return cmd
}

// buildArgs are the flags of a build of records into work/public, with
// every other directory the build writes under work too.
func buildArgs(records, work string, extra ...string) []string {
	return append([]string{"build", "--records", records,
		"--out", filepath.Join(work, "public"),
		"--work", filepath.Join(work, "site"),
		"--index", filepath.Join(work, "index"),
		"--cache", filepath.Join(work, "cache"),
		"--base-url", baseURL}, extra...)
}

// TestReproducible builds the default records again, in another process
// and from another directory, first from scratch and then from the build
// cache, and requires the same bytes in every published file each time.
func TestReproducible(t *testing.T) {
	first := defaultSite.Dir(t)
	work := t.TempDir()
	recs := filepath.Join(work, "records")
	if err := copyRecords(filepath.Join(repoRoot, "records"), recs); err != nil {
		t.Fatal(err)
	}
	for _, build := range []string{"a second build", "a build from the cache"} {
		if out, err := ogarchive(buildArgs(recs, work)...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", build, err, out)
		}
		if diff := compareTrees(first, filepath.Join(work, "public")); diff != "" {
			t.Errorf("%s differs from the first: %s", build, diff)
		}
	}
}

// compareTrees describes the first difference between two directories:
// a file only one has, or the first differing line of a file both have.
func compareTrees(a, b string) string {
	ha, err := hashTree(a)
	if err != nil {
		return err.Error()
	}
	hb, err := hashTree(b)
	if err != nil {
		return err.Error()
	}
	var only []string
	for f := range ha {
		if _, ok := hb[f]; !ok {
			only = append(only, "only in the first: "+f)
		}
	}
	for f := range hb {
		if _, ok := ha[f]; !ok {
			only = append(only, "only in the second: "+f)
		}
	}
	if len(only) > 0 {
		sort.Strings(only)
		return fmt.Sprintf("%d file(s) differ in presence, e.g. %s", len(only), strings.Join(only[:min(5, len(only))], "; "))
	}
	var files []string
	for f := range ha {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		if ha[f] == hb[f] {
			continue
		}
		da, _ := os.ReadFile(filepath.Join(a, f))
		db, _ := os.ReadFile(filepath.Join(b, f))
		la, lb := bytes.Split(da, []byte("\n")), bytes.Split(db, []byte("\n"))
		for i := range max(len(la), len(lb)) {
			if i >= len(la) || i >= len(lb) || !bytes.Equal(la[i], lb[i]) {
				line := func(ls [][]byte) string {
					if i < len(ls) {
						return string(ls[i])
					}
					return "(end of file)"
				}
				return fmt.Sprintf("%s differs at line %d:\n  first:  %.300s\n  second: %.300s", f, i+1, line(la), line(lb))
			}
		}
	}
	return ""
}

// hashTree maps every file under dir (relative, slash-separated) to the
// SHA-256 of its content.
func hashTree(dir string) (map[string]string, error) {
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	return out, err
}

// TestKilledBuildKeepsSite kills a build of the corpus (or, without one,
// of the replicated sample) at several
// stages and requires the previously published site to be untouched each
// time. Then the next build, with whatever the killed builds left in its
// cache and work directory, must publish the same site a clean build does,
// and leave no staging directory behind.
func TestKilledBuildKeepsSite(t *testing.T) {
	work := t.TempDir()
	recs := filepath.Join(work, "records")
	if err := copyRecords(filepath.Join(repoRoot, "records"), recs); err != nil {
		t.Fatal(err)
	}
	pub := filepath.Join(work, "public")
	if out, err := ogarchive(buildArgs(recs, work)...).CombinedOutput(); err != nil {
		t.Fatalf("first build: %v\n%s", err, out)
	}
	before, err := hashTree(pub)
	if err != nil {
		t.Fatal(err)
	}
	large := largeSite()
	large.Dir(t) // the clean build to compare with, and its records
	corpus := large.recs
	corpusWork := filepath.Join(work, "corpus")
	corpusBuild := []string{"build", "--records", corpus, "--out", pub,
		"--work", filepath.Join(corpusWork, "site"), "--index", filepath.Join(corpusWork, "index"),
		"--cache", filepath.Join(corpusWork, "cache"), "--ledger", filepath.Join(corpusWork, "turn-ids"),
		"--base-url", baseURL}
	staging := func() []string {
		m, _ := filepath.Glob(filepath.Join(work, ".public.new-*"))
		return m
	}
	entries := func(dir string) int {
		e, _ := os.ReadDir(dir)
		return len(e)
	}
	points := []struct {
		stage string
		ready func(elapsed time.Duration) bool
	}{
		{"while loading the records", func(d time.Duration) bool { return d >= 500*time.Millisecond }},
		{"while writing the Hugo project", func(time.Duration) bool {
			return entries(filepath.Join(corpusWork, "site", "content", "zh", "records")) >= 200
		}},
		{"while Hugo writes the staging directory", func(time.Duration) bool {
			s := staging()
			return len(s) > 0 && entries(s[0]) >= 200
		}},
	}
	for _, p := range points {
		cmd := ogarchive(corpusBuild...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		start := time.Now()
		killed := false
	wait:
		for {
			select {
			case err := <-done:
				t.Fatalf("%s: the build ended (%v) before reaching that stage; stderr:\n%.2000s", p.stage, err, stderr.String())
			case <-time.After(10 * time.Millisecond):
				if p.ready(time.Since(start)) {
					cmd.Process.Signal(syscall.SIGKILL)
					killed = true
					<-done
					break wait
				}
				if time.Since(start) > 3*time.Minute {
					cmd.Process.Signal(syscall.SIGKILL)
					<-done
					t.Fatalf("%s: not reached in 3 minutes", p.stage)
				}
			}
		}
		t.Logf("killed %s after %.1fs", p.stage, time.Since(start).Seconds())
		if !killed {
			continue
		}
		after, err := hashTree(pub)
		if err != nil {
			t.Fatalf("killed %s: the published site is gone: %v", p.stage, err)
		}
		if d := diffHashes(before, after); d != "" {
			t.Errorf("killed %s: the published site changed: %s", p.stage, d)
		}
	}
	if out, err := ogarchive(corpusBuild...).CombinedOutput(); err != nil {
		t.Fatalf("build after the kills: %v\n%.3000s", err, out)
	}
	if s := staging(); len(s) > 0 {
		t.Errorf("staging directories left after a good build: %v", s)
	}
	if _, err := os.Stat(pub + ".old"); err == nil {
		t.Errorf("%s.old left after a good build", pub)
	}
	if diff := compareTrees(large.Dir(t), pub); diff != "" {
		t.Errorf("the build after the kills differs from a clean build: %s", diff)
	}
}

// diffHashes summarises how two hashTree results differ.
func diffHashes(a, b map[string]string) string {
	d := hashDiffs(a, b)
	if len(d) == 0 {
		return ""
	}
	return fmt.Sprintf("%d file(s): %s", len(d), strings.Join(d[:min(5, len(d))], ", "))
}

// hashDiffs lists, sorted, the files removed, changed and added from one
// hashTree result to the other.
func hashDiffs(a, b map[string]string) []string {
	var d []string
	for f, h := range a {
		switch hb, ok := b[f]; {
		case !ok:
			d = append(d, "removed "+f)
		case hb != h:
			d = append(d, "changed "+f)
		}
	}
	for f := range b {
		if _, ok := a[f]; !ok {
			d = append(d, "added "+f)
		}
	}
	sort.Strings(d)
	return d
}

// TestBadFilePublishesTheRest adds a transcript with invalid UTF-8 to the
// default records: the build publishes every other record and names the
// bad file and line; with --strict it publishes nothing.
func TestBadFilePublishesTheRest(t *testing.T) {
	work := t.TempDir()
	recs := filepath.Join(work, "records")
	if err := copyRecords(filepath.Join(repoRoot, "records"), recs); err != nil {
		t.Fatal(err)
	}
	const bad = "2021-03-01-bad-encoding.md"
	src := "# 2021-03-01 Bad encoding\n\n### 唐鳳：\nLatin-1 bytes: caf\xe9 \xff\xfe\n"
	if err := os.WriteFile(filepath.Join(recs, bad), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(extra ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := cli.Main(buildArgs(recs, work, extra...), themeFS(), os.DirFS(recs), &stdout, &stderr)
		return code, stderr.String()
	}

	code, stderr := run()
	if code != 0 {
		t.Fatalf("build with one bad file: exit %d, want 0\n%s", code, stderr)
	}
	if want := bad + ":4: error: invalid UTF-8"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	pub := filepath.Join(work, "public")
	for _, r := range defaultSite.archive(t).Records {
		if _, err := os.Stat(filepath.Join(pub, r.Slug, "index.html")); err != nil {
			t.Errorf("%s was not published beside the bad file", r.File)
		}
	}
	if _, err := os.Stat(filepath.Join(pub, "2021-03-01-bad-encoding")); err == nil {
		t.Errorf("the bad file was published")
	}
	problems, _, _, err := checkLinks(pub, baseURL)
	if err != nil {
		t.Fatal(err)
	}
	reportProblems(t, problems)

	before, err := hashTree(pub)
	if err != nil {
		t.Fatal(err)
	}
	code, stderr = run("--strict")
	if code == 0 {
		t.Errorf("--strict build with a bad file: exit 0")
	}
	if !strings.Contains(stderr, bad+":4: error") {
		t.Errorf("--strict stderr does not name %s:4:\n%s", bad, stderr)
	}
	after, err := hashTree(pub)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffHashes(before, after); d != "" {
		t.Errorf("--strict build changed the published site: %s", d)
	}
}
