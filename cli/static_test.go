package cli

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// TestHandlerAsHosts: the site's _headers apply to the addresses their
// patterns match, and text is gzipped for clients that accept it, but
// never a range.
func TestHandlerAsHosts(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"_headers": "# comment\n/*\n  X-Content-Type-Options: nosniff\n/search/h/*\n  Cache-Control: public, max-age=31536000, immutable\n" +
			"/search/manifest.json\n  Cache-Control: no-cache\n",
		"index.html":           "<!doctype html><title>home</title>",
		"search/manifest.json": `{"format":4}`,
		"search/h/post-1.bin":  "0123456789",
		"404.html":             "<!doctype html><title>not found</title>",
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()
	tests := []struct {
		path, encoding, rng string
		status              int
		cache, gz, body     string
	}{
		{"/", "gzip", "", 200, "", "gzip", files["index.html"]},
		{"/", "", "", 200, "", "", files["index.html"]},
		{"/search/manifest.json", "gzip, br", "", 200, "no-cache", "gzip", files["search/manifest.json"]},
		{"/search/h/post-1.bin", "gzip", "", 200, "public, max-age=31536000, immutable", "", files["search/h/post-1.bin"]},
		{"/search/h/post-1.bin", "gzip", "bytes=2-4", 206, "public, max-age=31536000, immutable", "", "234"},
		{"/search/manifest.json", "gzip", "bytes=0-3", 206, "no-cache", "", `{"fo`},
		{"/nothing/", "gzip", "", 404, "", "", files["404.html"]},
	}
	// The transport must not undo the compression itself.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for _, tc := range tests {
		req, _ := http.NewRequest("GET", srv.URL+tc.path, nil)
		if tc.encoding != "" {
			req.Header.Set("Accept-Encoding", tc.encoding)
		}
		if tc.rng != "" {
			req.Header.Set("Range", tc.rng)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body io.Reader = res.Body
		if res.Header.Get("Content-Encoding") == "gzip" {
			if body, err = gzip.NewReader(res.Body); err != nil {
				t.Fatal(err)
			}
		}
		got, _ := io.ReadAll(body)
		res.Body.Close()
		if res.StatusCode != tc.status || res.Header.Get("Cache-Control") != tc.cache ||
			res.Header.Get("Content-Encoding") != tc.gz || string(got) != tc.body {
			t.Errorf("%s (%q, %q): %d, Cache-Control %q, Content-Encoding %q, %q; want %d, %q, %q, %q", tc.path, tc.encoding, tc.rng,
				res.StatusCode, res.Header.Get("Cache-Control"), res.Header.Get("Content-Encoding"), got, tc.status, tc.cache, tc.gz, tc.body)
		}
		if tc.status != 404 && res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: the /* rule's header is missing", tc.path)
		}
	}
}
