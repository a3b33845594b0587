package search

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const chromium = "/usr/bin/chromium"

// TestBrowserClient runs client.js in Chromium against the export served
// over HTTP, once by a server that honours range requests and once by one
// that ignores them: both must return what Query returns.
func TestBrowserClient(t *testing.T) {
	f := testFixture(t)
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("%s: %v (apt-get install chromium fonts-noto-cjk)", chromium, err)
	}
	qs := []jsQuery{
		{"語有客語的拼", nil},
		{"鳳", nil},
		{"ong with the fantastic divy", nil},
		{"開放政府", map[string]any{"speaker": "唐鳳", "sort": "newest"}},
		{"資料", map[string]any{"kind": []string{"outcome", "commitment"}}},
		{"script alert", nil},
	}
	want := make([]string, len(qs))
	s, err := Open(f.index)
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range qs {
		res, err := s.Query(q.Q, goOptions(q.Opts))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res)
		want[i] = string(b)
	}
	s.Close()

	alloc, stopAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()))
	defer stopAlloc()
	browser, stopBrowser := chromedp.NewContext(alloc)
	defer stopBrowser()
	if err := chromedp.Do(browser); err != nil { // starts the browser
		t.Fatal(err)
	}

	for _, ranges := range []bool{true, false} {
		var partial atomic.Int64
		files := http.StripPrefix("/search/", http.FileServer(http.Dir(f.out)))
		mux := http.NewServeMux()
		mux.HandleFunc("/search/", func(w http.ResponseWriter, r *http.Request) {
			if !ranges {
				r.Header.Del("Range")
			} else if r.Header.Get("Range") != "" {
				partial.Add(1)
			}
			files.ServeHTTP(w, r)
		})
		mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(`<!doctype html><meta charset="utf-8"><title>search</title>`))
		})
		srv := httptest.NewServer(mux)

		tab, closeTab := chromedp.NewContext(browser)
		ctx, cancel := context.WithTimeout(tab, time.Minute)
		queries, _ := json.Marshal(qs)
		// no base: the client finds the index beside itself
		script := `(async () => {
			const { search } = await import("/search/client.js");
			const out = [];
			for (const { q, opts } of ` + string(queries) + `) out.push(await search(q, opts || {}));
			return out;
		})()`
		err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"))
		var got []json.RawMessage
		if err == nil {
			got, err = chromedp.Run(ctx, chromedp.Evaluate[[]json.RawMessage](script, chromedp.EvalAwaitPromise))
		}
		cancel()
		closeTab()
		srv.Close()
		if err != nil {
			t.Fatalf("ranges %v: %v", ranges, err)
		}
		for i := range qs {
			var res []Result
			if i >= len(got) || json.Unmarshal(got[i], &res) != nil {
				t.Fatalf("ranges %v: query %q: no answer", ranges, qs[i].Q)
			}
			b, _ := json.Marshal(res)
			if string(b) != want[i] {
				t.Errorf("ranges %v: query %q:\n browser %s\n go      %s", ranges, qs[i].Q, b, want[i])
			}
		}
		if ranges && partial.Load() < 5 {
			t.Errorf("the client made %d range requests; it should read ranges", partial.Load())
		}
	}
}
