package redirect

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteShortLinks(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "t")
	err := WriteShortLinks(dir, map[string]string{
		"q7fz":  "/2020-08-12-開放政府第75次協作會議-工作會議/",
		"q2ab":  "/en/2020-01-01-meeting/",
		"a3cd5": "/a/",
	})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 32 {
		t.Errorf("%d shards, want 32", len(files))
	}
	q, _ := os.ReadFile(filepath.Join(dir, "q.json"))
	if want := `{"q2ab":"/en/2020-01-01-meeting/","q7fz":"/2020-08-12-開放政府第75次協作會議-工作會議/"}`; string(q) != want {
		t.Errorf("q.json = %s, want %s", q, want)
	}
	if z, _ := os.ReadFile(filepath.Join(dir, "z.json")); string(z) != "{}" {
		t.Errorf("z.json = %s, want {}", z)
	}
	for _, bad := range []map[string]string{
		{"q7fz": "//evil.example/"},
		{"q7fz": "relative/"},
		{"q7fz": `/a\b/`},
		{"Q7FZ": "/a/"},
		{"": "/a/"},
	} {
		if err := WriteShortLinks(dir, bad); err == nil {
			t.Errorf("no error for %v", bad)
		}
	}
}

// TestShortLinkScript runs assets/t.js in Node against a fake page.
func TestShortLinkScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("the /t/ script is tested with Node.js, which is not installed: %v", err)
	}
	if bytes.Contains(ShortLinkScript, []byte("innerHTML")) || bytes.Contains(ShortLinkScript, []byte("eval(")) {
		t.Fatal("t.js must set text with textContent only")
	}
	script := filepath.Join(t.TempDir(), "t.js")
	if err := os.WriteFile(script, ShortLinkScript, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteShortLinks(dir, map[string]string{
		"q7fz": "/2020-01-01-新名/",
		"abcd": "/en/meeting/",
	}); err != nil {
		t.Fatal(err)
	}
	// A tampered shard: the script must not follow it off the site.
	evil := filepath.Join(t.TempDir(), "evil")
	os.MkdirAll(evil, 0o755)
	os.WriteFile(filepath.Join(evil, "e.json"), []byte(`{"evil":"//evil.example/x/","ebsl":"/\\evil.example/","eurl":"https://evil.example/","eok2":"/fine/"}`), 0o644)

	cases := []struct {
		name        string
		href        string
		dir         string
		serve       string // path prefix the fake server answers
		scriptAttrs map[string]string
		replaced    string
		fetched     string
		status      string
	}{
		{name: "resolves", href: "https://archive.example/t/#q7fz.abcdefgh", serve: "/t/",
			fetched: "/t/q.json", replaced: "/2020-01-01-%E6%96%B0%E5%90%8D/#abcdefgh"},
		{name: "suffixed id, upper case", href: "https://archive.example/t/#ABCD.ABCDEFGH-2", serve: "/t/",
			fetched: "/t/a.json", replaced: "/en/meeting/#abcdefgh-2"},
		{name: "under a base path", href: "https://example.org/archive/t/#q7fz.abcdefgh", serve: "/archive/t/",
			fetched: "/archive/t/q.json", replaced: "/archive/2020-01-01-%E6%96%B0%E5%90%8D/#abcdefgh"},
		{name: "index.html", href: "https://example.org/archive/t/index.html#q7fz.abcdefgh", serve: "/archive/t/",
			fetched: "/archive/t/q.json", replaced: "/archive/2020-01-01-%E6%96%B0%E5%90%8D/#abcdefgh"},
		{name: "attributes", href: "https://example.org/x/y/#q7fz.abcdefgh", serve: "/data/short/",
			scriptAttrs: map[string]string{"data-base": "/site", "data-shards": "/data/short/"},
			fetched:     "/data/short/q.json", replaced: "/site/2020-01-01-%E6%96%B0%E5%90%8D/#abcdefgh"},
		{name: "no fragment", href: "https://archive.example/t/", serve: "/t/", status: "This is not a valid link to a turn."},
		{name: "bad id", href: "https://archive.example/t/#q7fz.abc", serve: "/t/", status: "This is not a valid link to a turn."},
		{name: "markup in the fragment", href: "https://archive.example/t/#<img src=x>.abcdefgh", serve: "/t/", status: "This is not a valid link to a turn."},
		{name: "unknown key", href: "https://archive.example/t/#qqqq.abcdefgh", serve: "/t/", fetched: "/t/q.json",
			status: "This link points to a record that is no longer in the archive."},
		{name: "inherited property", href: "https://archive.example/t/#constructor.abcdefgh", serve: "/t/", fetched: "/t/c.json",
			status: "This link points to a record that is no longer in the archive."},
		{name: "lookup fails", href: "https://archive.example/t/#q7fz.abcdefgh", serve: "/nowhere/", fetched: "/t/q.json",
			status: "The link could not be looked up. Please try again."},
		{name: "protocol-relative path", href: "https://archive.example/t/#evil.abcdefgh", dir: evil, serve: "/t/", fetched: "/t/e.json",
			status: "This link points to a record that is no longer in the archive."},
		{name: "backslash path", href: "https://archive.example/t/#ebsl.abcdefgh", dir: evil, serve: "/t/", fetched: "/t/e.json",
			status: "This link points to a record that is no longer in the archive."},
		{name: "absolute URL", href: "https://archive.example/t/#eurl.abcdefgh", dir: evil, serve: "/t/", fetched: "/t/e.json",
			status: "This link points to a record that is no longer in the archive."},
		{name: "same shard, good path", href: "https://archive.example/t/#eok2.abcdefgh", dir: evil, serve: "/t/", fetched: "/t/e.json",
			replaced: "/fine/#abcdefgh"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.dir == "" {
				c.dir = dir
			}
			cfg, _ := json.Marshal(map[string]any{
				"href": c.href, "dir": c.dir, "serve": c.serve, "scriptAttrs": c.scriptAttrs,
			})
			out, err := exec.Command(node, filepath.Join("testdata", "harness.js"), script, string(cfg)).CombinedOutput()
			if err != nil {
				t.Fatalf("node: %v\n%s", err, out)
			}
			var got struct {
				Replaced *string
				Status   *string
				Fetched  []string
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			str := func(p *string) string {
				if p == nil {
					return ""
				}
				return *p
			}
			if str(got.Replaced) != c.replaced {
				t.Errorf("replaced %q, want %q", str(got.Replaced), c.replaced)
			}
			if str(got.Status) != c.status {
				t.Errorf("status %q, want %q", str(got.Status), c.status)
			}
			if strings.Join(got.Fetched, " ") != c.fetched {
				t.Errorf("fetched %v, want %q", got.Fetched, c.fetched)
			}
		})
	}
}
