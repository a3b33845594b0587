// Keeping the search on this device. A reader who asks for it has every
// file of the search index stored whole in the service worker's search
// cache, which answers any byte range of a file kept whole (static/sw.js,
// searchFile). Then every query, not only those run before, is answered on
// the device: without a round trip, and without a connection.
//
// The files are named by their content, so a kept file is never stale. A
// rebuild names new files; the worker drops the old ones when it reads the
// new manifest, and this offer downloads the new ones on its own when they
// are few (a delta), or offers them with their size (a new base).
//
// The page stores the files itself, one at a time, with its progress shown:
// a download of a hundred megabytes may outlast a service worker's event.

// CACHE is static/sw.js's SEARCH: the cache its searchFile answers from.
const CACHE = 'ogarchive-search-v1';
// KEPT marks, in localStorage, that the reader asked to keep the search:
// files kept whole otherwise come only from a server that ignored Range.
const KEPT = 'ogarchive-search-kept';
// AUTO_UPDATE is the most a kept search downloads on its own when the
// archive changed: a rebuild's delta (the corrected records) is tens of
// kilobytes, and until it is kept, a query offline cannot read it. A new
// base, the whole index again, is the reader's to accept.
const AUTO_UPDATE = 8e6;

/**
 * offerKeep runs the offer in box (layouts/search/search.html's
 * #search-keep): files() lists the index's files relative to base, text(k)
 * reads the page's strings, fmt fills them in.
 */
export async function offerKeep({ box, base, files, text, fmt, lang }) {
  if (!('caches' in window) || !('serviceWorker' in navigator)) return;
  const state = box.querySelector('.keep-state');
  const bar = box.querySelector('progress');
  const act = box.querySelector('.keep-act');
  const remove = box.querySelector('.keep-remove');
  const mb = new Intl.NumberFormat(lang, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });
  const size = (n) => mb.format(n / 1e6);
  const urls = (await files()).map((f) => new URL(f, base).href);
  let cache;
  try {
    cache = await caches.open(CACHE);
  } catch {
    return; // storage refused (a private window): nothing to offer
  }
  const kept = async () => {
    const got = await Promise.all(urls.map((u) => cache.match(u)));
    return {
      have: got.reduce((n, r) => n + (r ? Number(r.headers.get('Content-Length')) || 0 : 0), 0),
      missing: urls.filter((u, i) => !got[i]),
    };
  };
  // sizes asks the server how large each missing file is, once the reader
  // opens the offer: a page view that does not costs no request.
  const sizes = (missing) => Promise.all(missing.map(async (u) => {
    const res = await fetch(u, { method: 'HEAD', cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return Number(res.headers.get('Content-Length')) || 0;
  }));
  let busy = false;
  let autoTried = false; // an update on its own, once a page
  let showing = null;
  // offered is the size of each file missing when the offer was last
  // brought up to date, asked of the server then: what a save downloads
  // of them is still missing, as files are only added until a removal,
  // which brings the offer up to date again
  let offered = new Map();

  // show brings the offer up to date; calls while it runs share its run.
  const show = () => {
    showing ??= update().finally(() => { showing = null; });
    return showing;
  };
  const update = async () => {
    const { have, missing } = await kept();
    const asked = localStorage.getItem(KEPT) === '1';
    bar.hidden = true;
    remove.hidden = !asked;
    if (asked && missing.length === 0) {
      state.textContent = fmt(text('KeepKept'), { s: size(have) });
      act.hidden = true;
      return;
    }
    act.hidden = false;
    act.disabled = true;
    state.textContent = '';
    if (!box.open && !asked) return;
    try {
      const each = await sizes(missing);
      offered = new Map(missing.map((u, i) => [u, each[i]]));
      const need = each.reduce((a, b) => a + b, 0);
      if (asked && need <= AUTO_UPDATE && !autoTried) {
        autoTried = true;
        save(); // shows the offer again when done
        return;
      }
      // an update as large as a new base: the reader decides, and sees it
      if (asked) box.open = true;
      state.textContent = fmt(text(asked ? 'KeepUpdate' : 'KeepIntro'), { s: size(need) });
      act.textContent = fmt(text(asked ? 'KeepUpdateButton' : 'KeepSave'), { s: size(need) });
      act.disabled = false;
    } catch (err) {
      if (box.open) state.textContent = fmt(text('KeepError'), { e: String(err.message || err) });
    }
  };

  const save = async () => {
    busy = true;
    act.disabled = true;
    remove.hidden = true;
    try {
      const { missing } = await kept();
      const total = missing.reduce((n, u) => n + (offered.get(u) || 0), 0);
      const room = navigator.storage && navigator.storage.estimate ? await navigator.storage.estimate() : null;
      if (room && room.quota - room.usage < total) {
        throw new Error(fmt(text('KeepNoRoom'), { f: size(room.quota - room.usage), s: size(total) }));
      }
      // a kept index should not be the first thing the browser evicts
      if (navigator.storage && navigator.storage.persist) await navigator.storage.persist().catch(() => false);
      localStorage.setItem(KEPT, '1');
      bar.max = total;
      bar.value = 0;
      bar.hidden = false;
      let done = 0;
      const progress = (n) => {
        done += n;
        bar.value = done;
        state.textContent = fmt(text('KeepSaving'), { p: `${Math.floor((100 * done) / Math.max(total, 1))}%` });
      };
      progress(0);
      for (const u of missing) {
        // ?keep: the worker passes the request on rather than storing the
        // file itself (static/sw.js); the page stores it, counting.
        const res = await fetch(u + '?keep', { cache: 'no-store' });
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        const counted = res.body.pipeThrough(new TransformStream({
          transform(chunk, out) {
            progress(chunk.byteLength);
            out.enqueue(chunk);
          },
        }));
        const headers = { 'Content-Type': res.headers.get('Content-Type') || 'application/octet-stream' };
        const len = res.headers.get('Content-Length');
        if (len) headers['Content-Length'] = len;
        await cache.put(u, new Response(counted, { headers }));
      }
    } catch (err) {
      state.textContent = fmt(text('KeepError'), { e: String(err.message || err) });
      bar.hidden = true;
      act.disabled = false;
      remove.hidden = localStorage.getItem(KEPT) !== '1';
      busy = false;
      return;
    }
    busy = false;
    await show();
  };

  const drop = async () => {
    localStorage.removeItem(KEPT);
    await Promise.all(urls.map((u) => cache.delete(u)));
    await show();
  };

  act.addEventListener('click', () => { if (!busy) save(); });
  remove.addEventListener('click', () => { if (!busy) drop(); });
  box.addEventListener('toggle', () => { if (box.open && !busy) show(); });
  await show();
  box.hidden = false;
}
