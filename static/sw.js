// The archive's service worker: pages a reader opened, and the search files
// their searches fetched, open again without a connection. Registered by
// assets/js/main.js; a static file at the site root so its scope is the
// whole site, both languages (a worker controls only the pages below it).
//
// What it keeps, and how it answers:
//   pages (navigations)      network first, so corrections show up; the
//                            cached copy when offline; else offline.html
//   /search/h/*              named by their content, so never stale: cache
//                            first, forever. The search client reads them
//                            with Range requests (see rangeResponse)
//   /search/manifest.json,   name this build's files: network first, the
//   /search/client.js        cached copy when offline
//   fingerprinted css/js/svg named by their content: cache first
//   manifest.webmanifest     network first, the cached copy when offline
// Everything else goes to the network untouched.
//
// Bump VERSION when what a cache holds changes shape: activate deletes
// every ogarchive cache of another version.
const VERSION = 'v1';
const PAGES = `ogarchive-pages-${VERSION}`;
const OFFLINE = `ogarchive-offline-${VERSION}`;
const ASSETS = `ogarchive-assets-${VERSION}`;
const SEARCH = `ogarchive-search-${VERSION}`;
const SEARCH_BUILD = `ogarchive-search-build-${VERSION}`;
const CACHES = [PAGES, OFFLINE, ASSETS, SEARCH, SEARCH_BUILD];

// MAX_PAGES bounds the pages kept: a page of a long meeting is a few
// hundred kilobytes, and a reader who browses for months should not fill
// the device. The oldest stored go first.
const MAX_PAGES = 300;

// ROOT is the site's root path: this file's directory, so the worker
// serves a site published under a subpath as well as at /.
const ROOT = new URL('./', self.location.href).pathname;

// FINGERPRINTED matches the names Hugo's fingerprint gives the stylesheet,
// scripts and icon (name.<sha256>.ext), which never change meaning.
const FINGERPRINTED = /\.[0-9a-f]{64}\.(?:css|js|svg)$/;

// RANGE matches the one form of Range header the search client sends,
// bytes=start-end; other forms are left to the network.
const RANGE = /^bytes=(\d+)-(\d+)$/;

self.addEventListener('install', (event) => {
  event.waitUntil(refreshOffline().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith('ogarchive-') && !CACHES.includes(n)).map((n) => caches.delete(n)));
    // Navigation preload starts a page's request while the worker boots,
    // so network-first costs no start-up delay.
    if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
    // No clients.claim(): the worker controls pages from the next one
    // opened. Claiming the page that registered it would route that page's
    // search reads, already under way, through a worker still starting:
    // Lighthouse (mobile) scored a first search 49 with the claim and
    // 65 to 71 without. That page itself is kept here instead, from the
    // HTTP cache where it is still there.
    const open = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    await Promise.all(open.map((c) => storePage(c.url, { cache: 'force-cache' }).catch(() => {})));
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(ROOT)) return;
  const path = url.pathname.slice(ROOT.length);
  if (req.mode === 'navigate') {
    event.respondWith(page(event));
  } else if (path.startsWith('search/h/')) {
    event.respondWith(searchFile(req));
  } else if (path === 'search/manifest.json' || path === 'search/client.js') {
    event.respondWith(networkFirst(req, SEARCH_BUILD, pruneSearch));
  } else if (path.endsWith('manifest.webmanifest')) {
    event.respondWith(networkFirst(req, OFFLINE));
  } else if (FINGERPRINTED.test(url.pathname)) {
    event.respondWith(cacheFirst(req, ASSETS));
  }
});

// page answers a navigation from the network, keeping a copy, or from the
// copy when the network fails.
async function page(event) {
  const req = event.request;
  try {
    const res = (await event.preloadResponse) || (await fetch(req));
    if (keepable(res)) event.waitUntil(putPage(req.url, res.clone()));
    // Now and then (once per worker start) the offline page is fetched
    // again, so it links the current build's stylesheet.
    if (!offlineFresh) {
      offlineFresh = true;
      event.waitUntil(refreshOffline().catch(() => {}));
    }
    return res;
  } catch (err) {
    const hit = await caches.match(pageKey(req.url), { cacheName: PAGES });
    return hit || (await offlinePage(req.url)) || Response.error();
  }
}

let offlineFresh = false;

// keepable reports whether a response is a page worth keeping: a whole,
// successful, same-origin answer (not an error page, not a redirect, which
// a navigation may not be answered with from a cache).
function keepable(res) {
  return res && res.status === 200 && res.type === 'basic' && !res.redirected;
}

// pageKey is the cache key of a page: its address without query or
// fragment. The search page is one page whatever its query, which its
// script reads from the address.
function pageKey(href) {
  const u = new URL(href);
  u.search = '';
  u.hash = '';
  return u.href;
}

async function storePage(href, init) {
  const res = await fetch(href, init);
  if (keepable(res)) await putPage(href, res);
}

async function putPage(href, res) {
  const cache = await caches.open(PAGES);
  await cache.put(pageKey(href), res);
  // Cache.put appends, so keys() lists the least recently stored first.
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map((k) => cache.delete(k)));
}

// refreshOffline caches the offline page of every language, with the
// stylesheet, scripts, icon and web app manifest they link. The root one lists the others as
// <link data-offline> (layouts/home.offline.html), so the worker names no
// language itself.
async function refreshOffline() {
  const cache = await caches.open(OFFLINE);
  const root = new URL(ROOT + 'offline.html', self.location.origin).href;
  const pages = new Set([root]);
  const assets = new Set();
  for (const href of pages) {
    const res = await fetch(href, { cache: 'no-cache' });
    if (!keepable(res)) throw new Error(`offline page ${href}: HTTP ${res.status}`);
    const html = await res.clone().text();
    for (const tag of html.match(/<(?:link|script)\b[^>]*>/g) || []) {
      const ref = /\b(?:href|src)="([^"]+)"/.exec(tag);
      if (!ref) continue;
      const u = new URL(ref[1].replace(/&amp;/g, '&'), href);
      if (u.origin !== self.location.origin) continue;
      if (/\bdata-offline\b/.test(tag)) pages.add(u.href);
      else if (FINGERPRINTED.test(u.pathname) || /\brel="manifest"/.test(tag)) assets.add(u.href);
    }
    await cache.put(href, res);
  }
  await cache.addAll([...assets]);
  // Drop what an earlier build's offline pages linked.
  const keep = new Set([...pages, ...assets]);
  for (const k of await cache.keys()) if (!keep.has(k.url)) await cache.delete(k);
}

// offlinePage is the offline page of the language a page is in: the one
// whose directory is the longest prefix of the page's path.
async function offlinePage(href) {
  const path = new URL(href).pathname;
  const cache = await caches.open(OFFLINE);
  let best;
  let bestDir = '';
  for (const k of await cache.keys()) {
    const dir = new URL(k.url).pathname.replace(/offline\.html$/, '');
    if (k.url.endsWith('/offline.html') && path.startsWith(dir) && dir.length > bestDir.length) {
      best = k;
      bestDir = dir;
    }
  }
  return best && cache.match(best);
}

async function cacheFirst(req, name) {
  const hit = await caches.match(req);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.status === 200) {
    const cache = await caches.open(name);
    await cache.put(req, res.clone());
  }
  return res;
}

// networkFirst answers from the network, keeping a copy (and giving its
// text to fresh, if set), or from the copy when the network fails.
async function networkFirst(req, name, fresh) {
  try {
    const res = await fetch(req);
    if (res.status === 200) {
      const copy = res.clone();
      const cache = await caches.open(name);
      await cache.put(req.url, fresh ? copy.clone() : copy);
      if (fresh) await fresh(await copy.text());
    }
    return res;
  } catch (err) {
    const hit = await caches.match(req.url, { cacheName: name, ignoreSearch: true });
    if (hit) return hit;
    throw err;
  }
}

// pruneSearch drops the search files no longer named by this build's
// manifest (which manifest.json holds and client.js carries): a new build
// names new files, and the old ones would otherwise stay on the device.
async function pruneSearch(manifest) {
  const named = new Set(manifest.match(/\bh\/[a-z]+-[0-9a-f]{8,}\.[a-z]+/g) || []);
  if (named.size === 0) return;
  const cache = await caches.open(SEARCH);
  for (const k of await cache.keys()) {
    const name = /\/search\/(h\/[^/?]+)/.exec(new URL(k.url).pathname);
    if (name && !named.has(name[1])) await cache.delete(k);
  }
}

// searchFile answers a request for a file under /search/h/. Its name
// changes whenever its content does, so a cached copy is good forever.
//
// The client reads these files (many megabytes each) in byte ranges, and
// a whole file is never fetched for a range's sake. Cache.put refuses a
// 206, so a range the network answered is stored as a 200 under a key of
// its own (the file's address plus ?sw-range=start-end) with its
// Content-Range header kept, and given back as the 206 it was. The same
// query asks for the same ranges, which is what makes a search run before
// answer offline. A file already cached whole (a request without Range,
// a server that ignored one, or a reader who kept the whole search on the
// device) answers any range by slicing it.
async function searchFile(req) {
  const url = new URL(req.url);
  // A page keeping the whole search on the device (assets/js/keep.js)
  // stores each file itself, counting its progress.
  if (url.searchParams.has('keep')) return fetch(req);
  url.search = '';
  const key = url.href;
  const cache = await caches.open(SEARCH);
  const header = req.headers.get('Range');
  if (!header) {
    const hit = await cache.match(key);
    if (hit) return hit;
    const res = await fetch(req);
    if (res.status === 200) await cache.put(key, res.clone());
    return res;
  }
  const m = RANGE.exec(header);
  if (!m) return fetch(req);
  const start = Number(m[1]);
  const end = Number(m[2]);
  const whole = await cache.match(key);
  if (whole) return rangeResponse(whole, start, end);
  url.searchParams.set('sw-range', `${start}-${end}`);
  const rkey = url.href;
  const hit = await cache.match(rkey);
  if (hit) return new Response(hit.body, { status: 206, statusText: 'Partial Content', headers: hit.headers });
  const res = await fetch(req);
  if (res.status === 206) {
    const body = await res.clone().arrayBuffer();
    const headers = new Headers({
      'Content-Type': res.headers.get('Content-Type') || 'application/octet-stream',
      'Content-Length': String(body.byteLength),
    });
    const cr = res.headers.get('Content-Range');
    if (cr) headers.set('Content-Range', cr);
    await cache.put(rkey, new Response(body, { status: 200, headers }));
  } else if (res.status === 200) {
    // The server ignored Range and sent the whole file: keep it whole.
    await cache.put(key, res.clone());
  }
  return res;
}

// rangeResponse answers bytes start..end (inclusive, as in the header)
// from a whole cached file, as a server honouring Range would: 206 with
// the slice and its Content-Range, or 416 past the end.
async function rangeResponse(whole, start, end) {
  const blob = await whole.blob();
  const size = blob.size;
  if (start >= size || end < start) {
    return new Response(null, { status: 416, statusText: 'Range Not Satisfiable', headers: { 'Content-Range': `bytes */${size}` } });
  }
  const last = Math.min(end, size - 1);
  const part = blob.slice(start, last + 1);
  return new Response(part, {
    status: 206,
    statusText: 'Partial Content',
    headers: {
      'Content-Type': whole.headers.get('Content-Type') || 'application/octet-stream',
      'Content-Length': String(part.size),
      'Content-Range': `bytes ${start}-${last}/${size}`,
    },
  });
}
