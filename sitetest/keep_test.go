package sitetest

import (
	"fmt"
	"net"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ogarchive/ogarchive/cli"
)

// TestKeepSearch keeps the whole search on the device, as a reader about to
// lose the connection would, and then asks offline what was never asked
// online: the answers must be those of a page online, every file of the
// index must be kept whole, and removing them must leave none.
//
// The answers online come from a server of their own (another origin, so
// another service worker and cache): asked on the first, they would be
// kept as ranges and prove nothing.
func TestKeepSearch(t *testing.T) {
	dir := defaultSite.Dir(t)
	r := sampleRecord(t)
	const query = "資料開放"
	searchPath := "/search/?q=" + url.QueryEscape(query)

	ref, _ := serverTab(t, dir)
	ref.open(searchPath)
	ref.waitFor(`document.querySelector('#search-app a.result')`, "results online", 20*time.Second)
	want := results(ref)

	tb, srv := serverTab(t, dir)
	tb.underWorker(r.URL())
	tb.open("/search/")
	if !eval[bool](tb, `!!navigator.serviceWorker.controller`) {
		t.Fatal("the service worker does not control the search page")
	}
	tb.waitFor(`!document.getElementById('search-keep').hidden`, "the offer to keep the search", 20*time.Second)
	tb.click(`#search-keep summary`)
	tb.waitFor(`!document.querySelector('#search-keep .keep-act').disabled && /\d/.test(document.querySelector('#search-keep .keep-act').textContent)`,
		"the offer's size", 20*time.Second)
	tb.do(chromedp.ScrollIntoView(chromedp.CSS(`#search-keep`)))
	tb.screenshot("offer")
	tb.click(`#search-keep .keep-act`)
	tb.waitFor(`document.querySelector('#search-keep .keep-act').hidden && !document.querySelector('#search-keep .keep-remove').hidden`,
		"the search kept", 60*time.Second)
	kept := eval[string](tb, `document.querySelector('#search-keep .keep-state').textContent`)
	tb.screenshot("kept")

	// Every file of the index, whole, with its bytes.
	names, err := os.ReadDir(filepath.Join(dir, "search", "h"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range names {
		data, err := os.ReadFile(filepath.Join(dir, "search", "h", f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got := evalAsync[int](tb, fmt.Sprintf(`caches.open('ogarchive-search-v1').then((c) => c.match(location.origin + '/search/h/%s')).then((r) => r ? r.arrayBuffer().then((b) => b.byteLength) : -1)`, f.Name()))
		if got != len(data) {
			t.Errorf("kept %s: %d bytes, want %d", f.Name(), got, len(data))
		}
	}

	// A rebuild names new files, which a kept search downloads on its own
	// when they are small (a delta): here a kept file gone stands for one.
	gone := names[0].Name()
	if !evalAsync[bool](tb, fmt.Sprintf(`caches.open('ogarchive-search-v1').then((c) => c.delete(location.origin + '/search/h/%s'))`, gone)) {
		t.Fatalf("could not drop %s from the cache", gone)
	}
	tb.open("/search/")
	waitAsync(tb, fmt.Sprintf(`caches.open('ogarchive-search-v1').then((c) => c.match(location.origin + '/search/h/%s')).then((r) => !!r)`, gone),
		"the kept search updated on its own", 30*time.Second)
	tb.waitFor(fmt.Sprintf(`document.querySelector('#search-keep .keep-state').textContent === %q`, kept), "the offer saying kept again", 20*time.Second)

	srv.CloseClientConnections()
	srv.Close()

	tb.open(searchPath)
	tb.waitFor(`document.querySelector('#search-app a.result')`, "results offline", 20*time.Second)
	if got := results(tb); got != want {
		t.Errorf("offline, a query never asked online:\n%s\nonline:\n%s", got, want)
	}
	tb.waitFor(`!document.getElementById('search-keep').hidden`, "the offer, offline", 20*time.Second)
	if got := eval[string](tb, `document.querySelector('#search-keep .keep-state').textContent`); got != kept {
		t.Errorf("offline, the offer says %q, want %q", got, kept)
	}

	// Online again, at the same address (the same origin, so the same
	// worker and cache): removing it.
	l, err := net.Listen("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatalf("listening again at %s: %v", srv.Listener.Addr(), err)
	}
	again := httptest.NewUnstartedServer(cli.Handler(dir))
	again.Listener.Close()
	again.Listener = l
	again.Start()
	defer again.Close()
	tb.open("/search/")
	tb.waitFor(`!document.getElementById('search-keep').hidden && !document.querySelector('#search-keep .keep-remove').hidden`, "the offer, online again", 20*time.Second)
	tb.click(`#search-keep summary`)
	tb.click(`#search-keep .keep-remove`)
	tb.waitFor(`document.querySelector('#search-keep .keep-remove').hidden && !document.querySelector('#search-keep .keep-act').disabled`,
		"the search removed, and offered again", 20*time.Second)
	left := evalAsync[int](tb, `caches.open('ogarchive-search-v1').then(async (c) => {
  let n = 0;
  for (const k of await c.keys()) if (!new URL(k.url).search) n++;
  return n;
})`)
	if left != 0 {
		t.Errorf("after removing, %d whole files are still kept", left)
	}
	reportAxe(t, "/search/", " (keeping the search)", runAxe(t, tb))
	tb.assertClean()
}
