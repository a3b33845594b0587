package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"github.com/ogarchive/ogarchive/cli"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"time"

	"github.com/chromedp/chromedp"
)

// browserJS defines knownItem(engine, query) in the page the queries run in.
//
//go:embed browser.js
var browserJS string

// The engines of browser.js.
const (
	engineOurs     = "ours"
	enginePagefind = "pagefind"
)

// enginePath is the part of the site an engine's files are served from.
func enginePath(engine string) string {
	if engine == enginePagefind {
		return "/pagefind/"
	}
	return "/search/"
}

// counter counts the requests one part of the site receives and the
// response body bytes it sends.
type counter struct{ requests, bytes atomic.Int64 }

func (c *counter) load() (requests, bytes int64) { return c.requests.Load(), c.bytes.Load() }

// serve counts what h serves. Every response says no-store, so that every
// fetch an engine makes reaches the server: both are charged for what
// they fetch, and neither is helped by the browser's heuristic caching of
// files that carry no cache headers.
func (c *counter) serve(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.requests.Add(1)
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(countingWriter{w, &c.bytes}, r)
	})
}

// countingWriter counts body bytes. It hides the writer's ReadFrom, so
// http.FileServer copies through Write; it honours Range requests itself.
type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n.Add(int64(n))
	return n, err
}

// siteServer serves the built site at public with Pagefind's bundle beside
// it at /pagefind/ (when pagefind is not empty), and a blank page for each
// language at /known-item/<lang>/ that the queries run in. It counts what
// /search/ and /pagefind/ serve.
func siteServer(public, pagefind string) (srv *httptest.Server, ours, pf *counter) {
	ours, pf = &counter{}, &counter{}
	// Pages as a static host serves them (_headers, gzip); the engines'
	// files as stored, so that both are charged for the same bytes.
	site := cli.Handler(public)
	mux := http.NewServeMux()
	mux.Handle("/", site)
	mux.Handle("/search/", ours.serve(http.FileServer(http.Dir(public))))
	if pagefind != "" {
		mux.Handle("/pagefind/", pf.serve(http.StripPrefix("/pagefind/", http.FileServer(http.Dir(pagefind)))))
	}
	mux.HandleFunc("/known-item/{lang}/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><html lang=\"%s\"><meta charset=\"utf-8\"><title>known-item search</title><script>%s</script>",
			html.EscapeString(r.PathValue("lang")), browserJS)
	})
	// HTTP/2 over TLS, as CDNs serve: over HTTP/1.1 a browser runs six
	// requests at once, and a query's parallel range reads queue.
	srv = httptest.NewUnstartedServer(mux)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	return srv, ours, pf
}

// startChromium starts headless Chromium at path with a profile in a
// temporary directory, with the flags of the search package's browser
// tests; stop ends it and removes the profile.
func startChromium(path string) (browser context.Context, stop func(), err error) {
	profile, err := os.MkdirTemp("", "ogarchive-bench-chromium-")
	if err != nil {
		return nil, nil, err
	}
	alloc, stopAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(profile),
		// the bench's own server, on loopback, with a certificate of its own
		chromedp.Flag("ignore-certificate-errors", true))
	browser, stopBrowser := chromedp.NewContext(alloc)
	stop = func() {
		stopBrowser()
		stopAlloc()
		os.RemoveAll(profile)
	}
	if err := chromedp.Do(browser); err != nil { // starts the browser
		stop()
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	return browser, stop, nil
}

// sample is one query's answer and what it cost.
type sample struct {
	results         []Result
	latency         time.Duration // measured in the page
	requests, bytes int64
	depth           int64 // sequential depth, over a throttled link
	unseen          int64 // requests the page's network did not see (a worker's), over a throttled link
	err             error
}

// tab is the page queries run in, with the log of what its engine
// fetched when its network is throttled (nil otherwise).
type tab struct {
	ctx context.Context
	net *netLog
}

// openPage opens the query page of lang at base in a new tab of parent,
// in a new browser context: an empty HTTP cache, nothing loaded. With a
// link, the tab's network goes over it, and the requests under engine's
// path are logged.
func openPage(parent context.Context, base, lang, engine string, link *Link) (tab, context.CancelFunc, error) {
	var t tab
	opts := []chromedp.ContextOption{chromedp.WithNewBrowserContext()}
	if link != nil {
		t.net = newNetLog(enginePath(engine))
		opts = append(opts, chromedp.WithListener(t.net.listen))
	}
	var cancel context.CancelFunc
	t.ctx, cancel = chromedp.NewContext(parent, opts...)
	// The tab lives as long as the context of its first run: the tab's own,
	// not the timeout's.
	if err := chromedp.Do(t.ctx); err != nil {
		cancel()
		return tab{}, nil, err
	}
	if link != nil {
		if err := throttle(t.ctx, *link); err != nil {
			cancel()
			return tab{}, nil, fmt.Errorf("throttling the network: %v", err)
		}
	}
	ctx, stop := context.WithTimeout(t.ctx, time.Minute)
	defer stop()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/known-item/"+lang+"/")); err != nil {
		cancel()
		return tab{}, nil, err
	}
	return t, cancel, nil
}

// ask runs one query through engine in the page of t; c counts what the
// engine fetches.
func ask(t tab, engine string, c *counter, query string) sample {
	q, _ := json.Marshal(query)
	ctx, cancel := context.WithTimeout(t.ctx, time.Minute)
	defer cancel()
	r0, b0 := c.load()
	var mark int
	if t.net != nil {
		mark = t.net.mark()
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Ms      float64
		Results []Result
	}](fmt.Sprintf("knownItem(%q, %s)", engine, q), chromedp.EvalAwaitPromise))
	r1, b1 := c.load()
	s := sample{results: out.Results, latency: time.Duration(out.Ms * float64(time.Millisecond)),
		requests: r1 - r0, bytes: b1 - b0, err: err}
	if t.net != nil {
		n, depth := t.net.since(mark)
		s.depth, s.unseen = int64(depth), max(0, s.requests-int64(n))
	}
	return s
}

// browserRun runs items through engine in the browser, cold and then warm,
// over link when it is not nil.
//
// Cold: each query in a new browser context, with an empty HTTP cache, no
// module loaded and no worker running, as on a first visit; its latency
// includes loading the engine. Warm: one page per language answers the
// queries in order, the engine keeping whatever it loaded for the queries
// before; Pagefind reads only the index of the page's language, so each
// query goes to the page of its own.
func browserRun(browser context.Context, base, engine string, c *counter, items []KnownItem, link *Link) (cold, warm []sample, err error) {
	for i, k := range items {
		t, cancel, err := openPage(browser, base, k.Lang(), engine, link)
		if err != nil {
			return nil, nil, err
		}
		cold = append(cold, ask(t, engine, c, k.Query))
		cancel()
		progress(engine+" cold", i+1, len(items))
	}
	tabs := map[string]tab{}
	for i, k := range items {
		t, ok := tabs[k.Lang()]
		if !ok {
			var cancel context.CancelFunc
			if t, cancel, err = openPage(browser, base, k.Lang(), engine, link); err != nil {
				return nil, nil, err
			}
			defer cancel()
			tabs[k.Lang()] = t
		}
		warm = append(warm, ask(t, engine, c, k.Query))
		progress(engine+" warm", i+1, len(items))
	}
	return cold, warm, nil
}

// progress logs every 50th of n steps.
func progress(what string, i, n int) {
	if i%50 == 0 || i == n {
		logf("%-14s %d/%d queries, load %s", what, i, n, LoadAverage())
	}
}
