// Progressive enhancement for every page: copy-link and cite buttons on
// each turn, j/k between turns, and the highlighted target turn. Everything
// works without it: permalinks are plain links and :target highlights.
// Record text only ever reaches the page through textContent and value.

const record = document.querySelector('article.record');
const t = (key) => (record && record.dataset['i18n' + key]) || key;

function turns() {
  return Array.from(document.querySelectorAll('.turn'));
}

function targetTurn() {
  let id;
  try {
    id = decodeURIComponent(location.hash.slice(1));
  } catch (_) {
    return null;
  }
  if (!id) return null;
  const el = document.getElementById(id);
  return el ? el.closest('.turn, .narrative') : null;
}

function highlight() {
  document.querySelectorAll('.is-target').forEach((el) => el.classList.remove('is-target'));
  const turn = targetTurn();
  if (turn) {
    turn.classList.add('is-target');
    turn.scrollIntoView({ block: 'start' });
  }
}

function permalink(turn) {
  return new URL('#' + turn.id, location.href).href;
}

// citation returns the plain-text citation and an embeddable quote for a
// turn: speaker, meeting, date and permalink.
function citation(turn) {
  const speaker = (turn.querySelector('.speaker') || {}).textContent || '';
  const title = record.dataset.title;
  const date = record.dataset.date;
  const url = permalink(turn);
  const text = Array.from(turn.querySelectorAll(':scope > p:not(.turn-tools), :scope > ul, :scope > ol'))
    .map((p) => p.textContent.trim()).filter(Boolean).join('\n\n');
  const en = document.documentElement.lang === 'en';
  const sep = en ? ', ' : '，';
  const plain = [speaker.trim(), en ? '“' + title + '”' : '〈' + title + '〉', date, url].filter(Boolean).join(sep);
  const quote = document.createElement('blockquote');
  quote.setAttribute('cite', url);
  text.split('\n\n').forEach((para) => {
    const p = document.createElement('p');
    p.textContent = para;
    quote.append(p);
  });
  const footer = document.createElement('footer');
  const cite = document.createElement('cite');
  const a = document.createElement('a');
  a.href = url;
  a.textContent = title;
  cite.append(a);
  footer.append('— ' + speaker.trim() + sep, cite, date ? sep + date : '');
  quote.append(footer);
  return { plain, html: quote.outerHTML };
}

async function copy(text, btn) {
  try {
    await navigator.clipboard.writeText(text);
    const label = btn.textContent;
    btn.textContent = t('Copied');
    setTimeout(() => { btn.textContent = label; }, 1500);
  } catch (_) { /* clipboard refused: the text stays selectable */ }
}

function button(label, cls) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = cls;
  b.textContent = label;
  return b;
}

function field(label, value, id) {
  const wrap = document.createElement('p');
  const l = document.createElement('label');
  l.htmlFor = id;
  l.textContent = label;
  const area = document.createElement('textarea');
  area.id = id;
  area.readOnly = true;
  area.rows = 3;
  area.value = value;
  const b = button(t('Copy'), 'copy');
  b.addEventListener('click', () => copy(value, b));
  wrap.append(l, area, b);
  return wrap;
}

function toggleCite(turn, btn) {
  const open = turn.querySelector('.cite-panel');
  if (open) {
    open.remove();
    btn.setAttribute('aria-expanded', 'false');
    return;
  }
  const c = citation(turn);
  const panel = document.createElement('div');
  panel.className = 'cite-panel';
  panel.setAttribute('role', 'group');
  panel.setAttribute('aria-label', t('Cite'));
  panel.append(field(t('Citation'), c.plain, 'cite-' + turn.id), field(t('Embed'), c.html, 'embed-' + turn.id));
  const close = button(t('Close'), 'close');
  close.addEventListener('click', () => toggleCite(turn, btn));
  panel.append(close);
  btn.closest('.turn-tools').after(panel);
  btn.setAttribute('aria-expanded', 'true');
  panel.querySelector('textarea').focus();
}

function setupTools() {
  if (!record) return;
  document.querySelectorAll('.turn .turn-tools').forEach((tools) => {
    const turn = tools.closest('.turn');
    if (navigator.clipboard) {
      const b = button(t('Copy'), 'copy');
      b.addEventListener('click', () => copy(permalink(turn), b));
      tools.append(b);
    }
    const c = button(t('Cite'), 'cite');
    c.setAttribute('aria-expanded', 'false');
    c.addEventListener('click', () => toggleCite(turn, c));
    tools.append(c);
  });
}

function setupKeys() {
  document.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const tag = (e.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'textarea' || tag === 'select' || e.target.isContentEditable) return;
    if (e.key !== 'j' && e.key !== 'k') return;
    const list = turns();
    if (!list.length) return;
    const cur = list.findIndex((el) => el.classList.contains('is-target'));
    let next;
    if (cur < 0) {
      // Start from the first turn below the top of the viewport.
      next = list.findIndex((el) => el.getBoundingClientRect().top > 1);
      if (next < 0) next = list.length - 1;
      if (e.key === 'k') next = Math.max(0, next - 1);
    } else {
      next = Math.min(list.length - 1, Math.max(0, cur + (e.key === 'j' ? 1 : -1)));
    }
    e.preventDefault();
    history.replaceState(null, '', '#' + list[next].id);
    highlight();
    const link = list[next].querySelector('.permalink');
    if (link) link.focus({ preventScroll: true });
  });
}

window.addEventListener('hashchange', highlight);
highlight();
setupTools();
setupKeys();

// The 404 page: offer the search with the words of the address that was
// not found (a renamed record's old file name says what it was about).
const notFound = document.getElementById('notfound-q');
if (notFound) resolveOldAddress().then((found) => found || fillSearch());

// fnv1a is the 32-bit FNV-1a hash of a string's UTF-8 bytes.
function fnv1a(s) {
  let h = 2166136261;
  for (const b of new TextEncoder().encode(s)) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h;
}

// shard is the lookup file of a route (Go: legacy.Shard): FNV-1a of its
// UTF-8 bytes modulo 32.
function shard(route) {
  return fnv1a(route) % 32;
}

// resolveOldAddress sends an address of the previous site's speaker pages,
// /speaker/<route>, to the speaker's page here, and one of its sections,
// /speech/<id>, to the turn, and reports whether it did.
async function resolveOldAddress() {
  const base = document.getElementById('notfound').dataset.base || '/';
  let path;
  try {
    path = decodeURIComponent(location.pathname);
  } catch (_) {
    return false;
  }
  const rest = path.startsWith(base) ? path.slice(base.length) : '';
  const json = async (name) => {
    const res = await fetch(base + name);
    return res.ok ? res.json() : {};
  };
  try {
    let target;
    let m = rest.match(/^speaker\/([^/]+)\/?$/);
    if (m) target = (await json(`legacy/speakers/${shard(m[1])}.json`))[m[1]];
    m = rest.match(/^speech\/(\d{1,15})\/?$/);
    if (m) {
      // a section of the previous site (Go: legacy.WriteSectionShards)
      const n = (await json('legacy/sections/index.json')).shards;
      if (Number.isInteger(n) && n > 0) target = (await json(`legacy/sections/${Number(m[1]) % n}.json`))[m[1]];
    }
    // Only ever a page of this site.
    if (typeof target !== 'string' || !/^\/[^/]/.test(target)) return false;
    location.replace(base + target.slice(1));
    return true;
  } catch (_) {
    return false;
  }
}

function fillSearch() {
  if (notFound.value) return;
  let path = location.pathname;
  try {
    path = decodeURIComponent(path);
  } catch (_) {
    // a malformed escape: use the path as it is
  }
  notFound.value = path
    .replace(/\.(md|html?)$/i, '')
    .split(/[\/\-_.+]+/)
    .filter((w) => w && w !== 'en' && !/^\d+$/.test(w))
    .join(' ')
    .slice(0, 100);
}

// ---- Bilingual twins (generator/align; begin) ----
// On a record of a bilingual pair and on its side-by-side page, the links
// marked data-follow keep the reader's place: the language switch
// (data-follow="twin") gets the fragment of the twin of the turn in view,
// and the links between a record and its side-by-side page
// (data-follow="own") that turn's own. Without this they lead to the top
// of the page. Fragments are only ever turn ids read from the page.
const followers = document.querySelectorAll('a[data-follow]');
const placed = Array.from(document.querySelectorAll('.turn[id], .narrative[id]'));
if (followers.length && placed.length) {
  // inView is the first turn whose bottom is below the top tenth of the
  // window, or the target turn while it is on screen.
  const inView = () => {
    const target = targetTurn();
    if (target) {
      const r = target.getBoundingClientRect();
      if (r.bottom > 0 && r.top < innerHeight) return target;
    }
    const edge = innerHeight / 10;
    let lo = 0;
    let hi = placed.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (placed[mid].getBoundingClientRect().bottom > edge) hi = mid;
      else lo = mid + 1;
    }
    return placed[lo];
  };
  const follow = () => {
    const el = inView();
    // A turn without a twin (a note in one language only) keeps the twin
    // of the nearest turn before it that has one.
    let twin = el;
    for (let i = placed.indexOf(el); i >= 0 && !placed[i].dataset.twin; i--) twin = placed[i - 1];
    followers.forEach((a) => {
      const id = a.dataset.follow === 'twin' ? (twin && twin.dataset.twin) : el.id;
      a.hash = id ? '#' + id : '';
    });
  };
  let queued = false;
  const later = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; follow(); });
  };
  addEventListener('scroll', later, { passive: true });
  addEventListener('resize', later);
  addEventListener('hashchange', later);
  follow();
}
// ---- Bilingual twins (end) ----

// ---- Reader look (main.css; begin) ----
// Each turn gets its speaker's colour, hue-0 … hue-11 in main.css, from a
// hash of the name as shown, so a speaker keeps one colour on every page.
// Without script the turns share one neutral rule. And each permalink
// carries its absolute address, which the print stylesheet prints after
// the turn (the page's canonical address, not one with a query string).
if (record) {
  const canonical = document.querySelector('link[rel="canonical"]');
  const page = canonical ? canonical.href : location.href;
  document.querySelectorAll('.turn').forEach((turn) => {
    const name = turn.querySelector('.turn-head .speaker');
    if (name) turn.classList.add('hue-' + (fnv1a(name.textContent.trim()) % 12));
    const link = turn.querySelector('.turn-tools .permalink');
    if (link) {
      // Printed for a person to type: Han characters, not %E9%96%8B….
      const url = new URL('#' + turn.id, page).href;
      try {
        link.dataset.url = decodeURI(url);
      } catch (_) {
        link.dataset.url = url;
      }
    }
  });
}
// ---- Reader look (end) ----

// ---- Offline reading (static/sw.js; begin) ----
// The service worker keeps the pages a reader opens and the search files
// their searches fetch, so both work again without a connection. It is a
// static file at the site root (its scope must be the whole site), found
// from this script's own address, js/main.<hash>.js, so a site published
// under a subpath works too. Registered after the page has loaded, so its
// first caching never competes with the page's own requests; it keeps
// this page and controls the pages opened after it.
if ('serviceWorker' in navigator) {
  const registerWorker = () => {
    navigator.serviceWorker.register(new URL('../sw.js', import.meta.url)).catch(() => {
      // Not supported here (a private window, a file: page): the site
      // simply works online only.
    });
  };
  if (document.readyState === 'complete') registerWorker();
  else addEventListener('load', registerWorker, { once: true });
}
// ---- Offline reading (end) ----
