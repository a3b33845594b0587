// The search page: results as you type, filters, "load more", and the
// query kept in the URL so a search can be shared. It loads the static
// search client beside the index (search/client.js); no server is involved.
// Result text reaches the page only as text nodes and <mark> elements.

const app = document.getElementById('search-app');
const form = app.querySelector('form');
const input = document.getElementById('search-q');
const status = document.getElementById('search-status');
const list = document.getElementById('search-results');
const more = document.getElementById('search-more');
const i18n = (k) => app.dataset['i18n' + k] || '';
const PAGE = 20;
const FIELDS = ['q', 'speaker', 'from', 'to', 'kind', 'lang', 'sort'];

let client = null;
let limit = PAGE;
let seq = 0;
let timer = 0;

function loadClient() {
  if (!client) client = import(new URL('client.js', new URL(app.dataset.base, location.href)).href);
  return client;
}

// snippetNodes turns the client's snippet (escaped text with <mark>) into
// nodes without ever parsing it as markup.
function snippetNodes(snippet) {
  const out = [];
  const parts = String(snippet || '').split(/(<mark>|<\/mark>)/);
  let marked = false;
  const decode = document.createElement('textarea');
  for (const part of parts) {
    if (part === '<mark>') { marked = true; continue; }
    if (part === '</mark>') { marked = false; continue; }
    if (!part) continue;
    decode.innerHTML = part; // RCDATA: entities are decoded, nothing is parsed or run
    const text = document.createTextNode(decode.value);
    if (marked) {
      const m = document.createElement('mark');
      m.append(text);
      out.push(m);
    } else {
      out.push(text);
    }
  }
  return out;
}

function safeHref(url) {
  const u = new URL(url, location.href);
  return u.origin === location.origin ? u.pathname + u.search + u.hash : '#';
}

function render(results, params) {
  list.replaceChildren();
  for (const r of results) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.className = 'result';
    a.href = safeHref(r.url);
    a.textContent = r.title || r.source;
    const meta = document.createElement('p');
    meta.className = 'meta';
    meta.textContent = [r.speaker, r.date, r.turn ? '#' + r.turn : ''].filter(Boolean).join(' · ');
    const snip = document.createElement('p');
    snip.className = 'snippet';
    snip.append(...snippetNodes(r.snippet));
    li.append(a, meta, snip);
    list.append(li);
  }
  status.textContent = results.length
    ? results.length + (results.length >= limit ? '+' : '') + ' ' + i18n('Results')
    : (params.q ? i18n('None') : '');
  more.hidden = results.length < limit;
}

function params() {
  const data = new FormData(form);
  const p = {};
  for (const k of FIELDS) {
    const v = String(data.get(k) || '').trim();
    if (v) p[k] = v;
  }
  return p;
}

function syncURL(p) {
  const u = new URL(location.href);
  u.search = '';
  for (const k of FIELDS) if (p[k] && !(k === 'sort' && p[k] === 'relevance')) u.searchParams.set(k, p[k]);
  history.replaceState(null, '', u);
}

async function run() {
  const p = params();
  syncURL(p);
  const mine = ++seq;
  if (!p.q) {
    list.replaceChildren();
    status.textContent = '';
    more.hidden = true;
    return;
  }
  status.textContent = i18n('Loading');
  try {
    const { search } = await loadClient();
    const results = await search(p.q, {
      base: new URL(app.dataset.base, location.href).href,
      speaker: p.speaker, from: p.from, to: p.to, kind: p.kind, lang: p.lang,
      sort: p.sort || 'relevance', limit,
    });
    if (mine === seq) render(results, p);
  } catch (err) {
    if (mine === seq) status.textContent = i18n('Error');
    console.warn('search failed', err);
  }
}

function schedule() {
  limit = PAGE;
  clearTimeout(timer);
  timer = setTimeout(run, 200);
}

// Restore a shared search from the URL.
const initial = new URL(location.href).searchParams;
for (const k of FIELDS) {
  const el = form.elements.namedItem(k);
  if (el && initial.get(k)) el.value = initial.get(k);
}
if (['speaker', 'from', 'to', 'kind', 'lang'].some((k) => initial.get(k))) app.querySelector('details.filters').open = true;

form.addEventListener('input', schedule);
form.addEventListener('change', schedule);
form.addEventListener('submit', (e) => { e.preventDefault(); limit = PAGE; run(); });
more.addEventListener('click', () => { limit += PAGE; run(); });
input.addEventListener('focus', loadClient, { once: true });
if (input.value) run();
