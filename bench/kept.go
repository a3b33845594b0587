package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ogarchive/ogarchive/cli"
)

// keptSet runs items in Chromium throttled to link, on the search page of
// the site at public after its reader kept the whole search on the device
// (assets/js/keep.js): one page, the queries in order, each a query the
// page has not run before, answered by the client through the service
// worker from the kept files. Their figures are the warm ones; the
// requests and bytes, those that still reach the server.
func keptSet(browser context.Context, public string, items []KnownItem, link Link) (Engine, error) {
	// The service worker needs a secure context: plain HTTP on loopback is
	// one, a certificate of the bench's own is not.
	c := &counter{}
	site := cli.Handler(public)
	mux := http.NewServeMux()
	mux.Handle("/", site)
	mux.Handle("/search/", c.serve(site))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	// The tab lives as long as the context of its first run: this one.
	if err := chromedp.Do(ctx); err != nil {
		return Engine{}, err
	}
	t := tab{ctx: ctx}
	if err := keepSearch(ctx, srv.URL); err != nil {
		return Engine{}, fmt.Errorf("keeping the search on the device: %v", err)
	}
	if err := throttle(ctx, link); err != nil {
		return Engine{}, fmt.Errorf("throttling the network: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](browserJS)); err != nil {
		return Engine{}, err
	}
	var warm []sample
	for i, k := range items {
		warm = append(warm, ask(t, engineOurs, c, k.Query))
		progress("ours kept", i+1, len(items))
	}
	fig := SummarizeQueries(items, warm, warm)
	fig.Cold = Cost{} // no cold query: the search was kept first
	if fig.Failed == len(items) {
		return Engine{}, fmt.Errorf("every query failed: %v", firstErr(warm))
	}
	return fig, nil
}

// keepSearch opens the search page at base under its service worker and
// has it keep the whole search, as a reader does with the page's offer.
func keepSearch(ctx context.Context, base string) error {
	wait := func(expr, what string, d time.Duration) error {
		deadline := time.Now().Add(d)
		for {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr, chromedp.EvalAwaitPromise))
			if err == nil && ok {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("timed out after %v waiting for %s (%v)", d, what, err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	setup, stop := context.WithTimeout(ctx, 10*time.Minute)
	defer stop()
	ctx = setup
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/")); err != nil {
		return err
	}
	// The worker controls the pages opened after it started.
	if err := wait(`navigator.serviceWorker.ready.then(() => true)`, "the service worker", time.Minute); err != nil {
		return err
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/")); err != nil {
		return err
	}
	if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!navigator.serviceWorker.controller`)); !ok {
		return errors.New("the service worker does not control the search page")
	}
	if err := wait(`!document.getElementById('search-keep').hidden`, "the offer", time.Minute); err != nil {
		return err
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#search-keep summary`), chromedp.NodeVisible)); err != nil {
		return err
	}
	if err := wait(`!document.querySelector('#search-keep .keep-act').disabled`, "the offer's size", time.Minute); err != nil {
		return err
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#search-keep .keep-act`), chromedp.NodeVisible)); err != nil {
		return err
	}
	return wait(`document.querySelector('#search-keep .keep-act').hidden`, "the search kept", 9*time.Minute)
}
