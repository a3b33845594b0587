package sitetest

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/ogarchive/ogarchive/cli"
)

// chromium is the browser the tests drive: Debian's package, with
// fonts-noto-cjk so Chinese text has glyphs (contrast checks and
// screenshots need real text).
const chromium = "/usr/bin/chromium"

var (
	browserOnce sync.Once
	browserCtx  context.Context
	browserStop context.CancelFunc
	browserErr  error
	profileDir  string

	serversMu sync.Mutex
	servers   = map[string]*httptest.Server{}

	screensOnce sync.Once
	screensDir  string
)

// startBrowser launches one headless Chromium for the whole test binary
// with a fresh profile and no traffic of its own.
func startBrowser() {
	if _, err := os.Stat(chromium); err != nil {
		browserErr = fmt.Errorf("%s: %w (apt-get install chromium fonts-noto-cjk)", chromium, err)
		return
	}
	profileDir, browserErr = os.MkdirTemp("", "ogarchive-chromium-")
	if browserErr != nil {
		return
	}
	alloc, stopAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profileDir),
		chromedp.WindowSize(1280, 900),
	)
	ctx, stopCtx := chromedp.NewContext(alloc)
	browserCtx = ctx
	browserStop = func() { stopCtx(); stopAlloc() }
	browserErr = chromedp.Do(ctx) // starts the browser; no timeout on this context
}

// closeBrowser stops the browser and the site servers at the end of the run.
func closeBrowser() {
	if browserStop != nil {
		browserStop()
		os.RemoveAll(profileDir)
	}
	serversMu.Lock()
	for _, s := range servers {
		s.Close()
	}
	serversMu.Unlock()
	if screensDir != "" {
		fmt.Println("screenshots:", screensDir)
	}
}

// serve returns the URL of an HTTP server on 127.0.0.1 for a built site,
// serving it the way `ogarchive serve` does.
func serve(dir string) string {
	serversMu.Lock()
	defer serversMu.Unlock()
	s, ok := servers[dir]
	if !ok {
		s = httptest.NewServer(cli.Handler(dir))
		servers[dir] = s
	}
	return s.URL
}

// tab is one browser tab on one site, recording everything a reader would
// not want to see: console errors, uncaught exceptions, Content-Security-
// Policy violations and dialogs.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string // site URL without the trailing slash

	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
	dialogs  []string
}

// observer runs in every document before the page's own scripts: it
// records CSP violations where the test can read them.
const observer = `window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber + (e.sample ? ' (' + e.sample + ')' : ''));
});`

// newTab opens a tab on the site in dir. bypassCSP turns the site's
// Content-Security-Policy off, to prove the markup is safe on its own.
func newTab(t *testing.T, dir string, bypassCSP bool) *tab {
	t.Helper()
	browserOnce.Do(startBrowser)
	if browserErr != nil {
		t.Fatalf("starting Chromium: %v", browserErr)
	}
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	tb := &tab{t: t, ctx: ctx, base: serve(dir)}
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		t.Fatalf("opening a tab: %v", err)
	}
	messages := chromedp.Console(ctx)
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.messages = append(tb.messages, m)
			tb.mu.Unlock()
		}
	}()
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.dialogs = append(tb.dialogs, string(ev.Type)+": "+ev.Message)
			tb.mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: observer}); err != nil {
		t.Fatalf("installing the observer: %v", err)
	}
	if bypassCSP {
		if _, err := chromedp.Call(ctx, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true}); err != nil {
			t.Fatalf("bypassing CSP: %v", err)
		}
	}
	return tb
}

// url returns the absolute URL of a site path such as "/meetings/".
func (tb *tab) url(path string) string {
	u, err := url.Parse(path)
	if err != nil {
		tb.t.Fatalf("bad path %q: %v", path, err)
	}
	return tb.base + u.EscapedPath() + queryAndFragment(u)
}

func queryAndFragment(u *url.URL) string {
	s := ""
	if u.RawQuery != "" {
		s += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		s += "#" + u.EscapedFragment()
	}
	return s
}

// open navigates to a site path and waits for the load event.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(tb.url(path)))
}

// do runs actions, failing the test on error.
func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
}

// click clicks the first element matching sel with the mouse, as a reader
// would. Pages skip rendering what is off screen (content-visibility), so
// scrolling to an element resizes what is above it and moves it: the click
// waits until the element has stayed put for a few polls, or it may land
// where the element was. It aims at the middle of the first of the
// element's boxes that the element gets the click at: a link wrapped over
// two lines has nothing at the middle of its bounding box. The polls are
// made from here, not with page timers, which a page without JavaScript
// does not run.
func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.waitFor(fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return false; const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; })()`, sel), "a visible "+sel, 10*time.Second)
	eval[bool](tb, fmt.Sprintf(`(document.querySelector(%q).scrollIntoView({block: 'center'}), true)`, sel))
	at := fmt.Sprintf(`(() => {
  const e = document.querySelector(%q), boxes = Array.from(e.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
  const mid = (r) => [r.left + r.width / 2, r.top + r.height / 2];
  const hit = boxes.find((r) => { const h = document.elementFromPoint(...mid(r)); return h && (h === e || e.contains(h)); });
  return mid(hit || boxes[0] || e.getBoundingClientRect());
})()`, sel)
	var xy []float64
	for same, deadline := 0, time.Now().Add(10*time.Second); same < 3 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		now := eval[[]float64](tb, at)
		if slices.Equal(now, xy) {
			same++
		} else {
			same = 0
		}
		xy = now
	}
	tb.do(chromedp.MouseClickXY(xy[0], xy[1]))
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("evaluating %.80q: %v", expr, err)
	}
	return v
}

// evalAsync evaluates an expression that returns a promise.
func evalAsync[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluating %.80q: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it holds, or fails after
// timeout with what.
func (tb *tab) waitFor(cond, what string, timeout time.Duration) {
	tb.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool]("!!("+cond+")"))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("timed out after %v waiting for %s (%s); page problems: %v", timeout, what, cond, tb.problems())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// key presses one key, as a keyboard would.
func (tb *tab) key(k string) {
	tb.t.Helper()
	tb.do(chromedp.KeyEvent(k))
}

// path is the current location's path, decoded, plus its fragment.
func (tb *tab) path() string {
	return eval[string](tb, `decodeURIComponent(location.pathname) + (location.hash ? decodeURIComponent(location.hash) : '')`)
}

// problems lists what went wrong in the tab so far: console errors,
// exceptions, CSP violations and dialogs.
func (tb *tab) problems() []string {
	var out []string
	tb.mu.Lock()
	for _, m := range tb.messages {
		if m.Type == chromedp.ConsoleError || m.IsException() {
			out = append(out, fmt.Sprintf("console %s (%s:%d)", m, m.URL, m.Line+1))
		}
	}
	for _, d := range tb.dialogs {
		out = append(out, "dialog "+d)
	}
	tb.mu.Unlock()
	csp, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`window.__csp || []`))
	if err == nil {
		for _, v := range csp {
			out = append(out, "CSP violation: "+v)
		}
	}
	return out
}

// assertClean fails the test if the tab saw any problem.
func (tb *tab) assertClean() {
	tb.t.Helper()
	time.Sleep(100 * time.Millisecond) // let late console events arrive
	for _, p := range tb.problems() {
		tb.t.Errorf("%s: %s", tb.path(), p)
	}
}

// screenshot saves the viewport as a PNG for review, under
// $OGARCHIVE_ARTIFACTS or the temporary directory.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	screensOnce.Do(func() {
		root := os.Getenv("OGARCHIVE_ARTIFACTS")
		if root == "" {
			root = os.TempDir()
		}
		screensDir = filepath.Join(root, "ogarchive-screens")
		os.MkdirAll(screensDir, 0o755)
	})
	buf, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	file := filepath.Join(screensDir, fileName(tb.t.Name()+"-"+name)+".png")
	if err := os.WriteFile(file, buf, 0o644); err != nil {
		tb.t.Errorf("screenshot %s: %v", name, err)
	}
}

var unsafeName = regexp.MustCompile(`[^\p{L}\p{N}._-]+`)

// fileName turns a test and page name into a portable file name.
func fileName(s string) string {
	return strings.Trim(unsafeName.ReplaceAllString(s, "_"), "_")
}
