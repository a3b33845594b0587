// The search page: results as you type, filters, "load more", and the
// query kept in the URL so a search can be shared. It loads the static
// search client beside the index (search/client.js); no server is involved.
// Result text reaches the page only as text nodes and <mark>, <ins> and
// <del> elements, and URLs only when they are of this site.
//
// Beside the results: how many turns and meetings hold the query, a chart
// of them per year (a bar narrows the search to its year), counts per kind,
// language and (among the results shown) speaker, each a filter; several
// hits of one meeting grouped under the first; and, when no turn holds
// what was typed verbatim, the closest turn's own wording with the
// differences marked ("did they say this?").

import { diffArrays } from './vendor/jsdiff/array.js';
import { offerKeep } from './keep.js';

const app = document.getElementById('search-app');
const form = app.querySelector('form');
const input = document.getElementById('search-q');
const status = document.getElementById('search-status');
const list = document.getElementById('search-results');
const more = document.getElementById('search-more');
const overview = document.getElementById('search-overview');
const check = document.getElementById('search-check');
const i18n = (k) => app.dataset['i18n' + k] || '';
const lang = app.dataset.lang || document.documentElement.lang || 'en';
const num = new Intl.NumberFormat(lang);
const fmt = (template, values) => template.replace(/%([a-z])/g, (m, k) =>
  (!(k in values) ? m : typeof values[k] === 'number' ? num.format(values[k]) : values[k]));
const PAGE = 20;
const FILTERS = ['speaker', 'from', 'to', 'kind', 'lang'];
const FIELDS = ['q', ...FILTERS, 'sort'];
const SVG = 'http://www.w3.org/2000/svg';

let client = null;
let limit = PAGE;
let seq = 0;
let timer = 0;

// loadClient starts the search client in a worker, so that its reading
// and ranking never hold up typing or the page's first paint; where
// module workers are missing, it runs on the page itself. Either way it
// answers page(q, opts), prepare(opts), warm(q, opts), files(opts) and
// fold(texts).
function loadClient() {
  if (!client) client = inWorker().catch(() => onPage());
  return client;
}

async function onPage() {
  const c = await import(clientURL());
  return { page: c.page, prepare: c.prepare, warm: c.warm, files: c.files, fold: async (texts) => texts.map(c.foldText) };
}

function inWorker() {
  return new Promise((resolve, reject) => {
    const w = new Worker(clientURL(), { type: 'module' });
    const waiting = new Map();
    let next = 0;
    const call = (op, ...args) => new Promise((res, rej) => {
      waiting.set(++next, { res, rej });
      w.postMessage({ id: next, op, args });
    });
    w.onmessage = ({ data }) => {
      if (data.ready) {
        resolve({
          page: (...a) => call('page', ...a), prepare: (...a) => call('prepare', ...a), warm: (...a) => call('warm', ...a),
          files: (...a) => call('files', ...a), fold: (texts) => call('fold', texts),
        });
        return;
      }
      const p = waiting.get(data.id);
      if (!p) return;
      waiting.delete(data.id);
      if (!data.error) p.res(data.value);
      else p.rej(Object.assign(new Error(data.error.message), { stale: data.error.stale }));
    };
    // a worker that fails to start (no module workers) falls back to the page
    w.onerror = (e) => {
      e.preventDefault();
      reject(new Error('search worker failed'));
      for (const p of waiting.values()) p.rej(new Error('search worker failed'));
      waiting.clear();
    };
  });
}

function clientURL() {
  return new URL('client.js', base()).href;
}

function base() {
  return new URL(app.dataset.base, location.href).href;
}

function el(name, attrs = {}, ...children) {
  const e = document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
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
    out.push(marked ? el('mark', {}, text) : text);
  }
  return out;
}

function safeHref(url) {
  const u = new URL(url, location.href);
  return u.origin === location.origin ? u.pathname + u.search + u.hash : '#';
}

// searchURL is this page's address for the search p.
function searchURL(p) {
  const u = new URL(location.href);
  u.search = '';
  for (const k of FIELDS) if (p[k] && !(k === 'sort' && p[k] === 'relevance')) u.searchParams.set(k, p[k]);
  return u;
}

// hrefWith is this search's address with some fields changed.
function hrefWith(changes) {
  const u = searchURL({ ...params(), ...changes });
  return u.pathname + u.search;
}

// applyFilter makes a click on target (a facet's link, a chart's bar) set
// form fields and search again, as following the link would.
function applyFilter(target, changes) {
  target.addEventListener('click', (e) => {
    e.preventDefault();
    for (const [k, v] of Object.entries(changes)) {
      const f = form.elements.namedItem(k);
      if (f) f.value = v;
    }
    if (Object.keys(changes).some((k) => k !== 'q')) app.querySelector('details.filters').open = true;
    limit = PAGE;
    run();
  });
  return target;
}

// inLang marks an element with the record's language where it is not the
// page's, so screen readers read it in the right voice.
function inLang(e, l) {
  if (l && l.toLowerCase() !== lang.toLowerCase()) e.setAttribute('lang', l);
  return e;
}

// nameNode is a speaker's name, marked Chinese where it is written so.
function nameNode(name) {
  return inLang(el('span', { text: name }), /\p{Script=Han}/u.test(name) ? 'zh-TW' : 'en');
}

function metaNodes(r) {
  const out = [];
  for (const part of [r.speaker && nameNode(r.speaker), r.date, r.turn ? '#' + r.turn : ''].filter(Boolean)) {
    if (out.length) out.push(' · ');
    out.push(part);
  }
  return out;
}

function resultItem(r) {
  const li = inLang(el('li'), r.lang);
  const a = el('a', { class: 'result', href: safeHref(r.url), text: r.title || r.source });
  const meta = el('p', { class: 'meta' }, ...metaNodes(r));
  const snip = el('p', { class: 'snippet' }, ...snippetNodes(r.snippet));
  li.append(a, meta, snip);
  if (r.twin) li.append(twinNode(r));
  return li;
}

// twinNode links a result to the same turn in the other language ("also
// in English"), named in that language.
function twinNode(r) {
  const en = String(r.twinLang).toLowerCase().startsWith('en');
  const link = el('a', { href: safeHref(r.twin), hreflang: r.twinLang, lang: r.twinLang, text: en ? 'English' : '中文' });
  return el('p', { class: 'twin' }, i18n('AlsoIn'), ' ', link);
}

// hitItem is a further hit of a meeting already listed: its turn only.
function hitItem(r) {
  const li = inLang(el('li'), r.lang);
  const a = el('a', { href: safeHref(r.url) });
  if (r.speaker) a.append(nameNode(r.speaker), ' ');
  a.append(r.turn ? '#' + r.turn : '');
  li.append(a, ' ', el('span', { class: 'snippet' }, ...snippetNodes(r.snippet)));
  if (r.twin) li.append(' ', twinNode(r));
  return li;
}

// render lists the results a meeting at a time: its best hit, then under
// "and N more in this meeting" the others, those loaded and, on opening,
// the rest.
function render(results, summary, p) {
  list.replaceChildren();
  const turns = new Map(summary.groups.map((g) => [g.value, g.turns]));
  const groups = new Map();
  for (const r of results) {
    if (!groups.has(r.source)) groups.set(r.source, []);
    groups.get(r.source).push(r);
  }
  for (const [source, hits] of groups) {
    const li = resultItem(hits[0]);
    const n = Math.max(turns.get(source) || 0, hits.length) - 1;
    if (n > 0) {
      const d = el('details', { class: 'more-hits' });
      const ol = el('ol', { class: 'hits' }, ...hits.slice(1).map(hitItem));
      d.append(el('summary', { text: fmt(i18n('More'), { n }) }), ol);
      d.addEventListener('toggle', () => {
        if (!d.open || d.dataset.loaded) return;
        d.dataset.loaded = '1';
        loadClient().then(({ search }) => search(p.q, { ...filterOpts(p), record: source, limit: 200, base: base() }))
          .then((all) => ol.replaceChildren(...all.filter((r) => r.id !== hits[0].id).map(hitItem)))
          .catch((err) => console.warn('search failed', err));
      });
      li.append(d);
    }
    list.append(li);
  }
  more.hidden = results.length < limit;
}

function filterOpts(p) {
  const o = { sort: p.sort || 'relevance' };
  for (const k of FILTERS) o[k] = p[k];
  return o;
}

// renderOverview shows the counts, the chart and the facets.
function renderOverview(results, summary, p) {
  overview.replaceChildren();
  if (summary.partial) {
    status.textContent = results.length ? i18n('Partial') : (p.q ? i18n('None') : '');
    return;
  }
  status.textContent = summary.meetings === summary.records
    ? fmt(i18n('Count'), { t: summary.turns, m: summary.meetings })
    : fmt(i18n('CountRecords'), { t: summary.turns, r: summary.records, m: summary.meetings });
  const dated = summary.years.filter((y) => y.value !== '');
  if (dated.length > 1) overview.append(yearChart(dated));
  const facets = el('div', { class: 'facets' });
  const facet = (title, counts, field, label) => {
    if (counts.length < 2 && !(counts.length === 1 && p[field])) return;
    const ul = el('ul');
    for (const c of counts) {
      const a = applyFilter(el('a', { href: hrefWith({ [field]: c.value }) }), { [field]: c.value });
      a.append(label(c.value), ' ', el('span', { class: 'count', text: num.format(c.turns) }));
      if (p[field] === c.value) a.setAttribute('aria-current', 'true');
      ul.append(el('li', {}, a));
    }
    facets.append(el('section', {}, el('h2', { text: title }), ul));
  };
  const kinds = { transcript: i18n('KindTranscript'), commitment: i18n('KindCommitment'), outcome: i18n('KindOutcome') };
  facet(i18n('Kind'), summary.kinds, 'kind', (v) => kinds[v] || v);
  facet(i18n('Language'), summary.langs, 'lang', (v) => el('span', { lang: v, text: v.toLowerCase().startsWith('zh') ? '中文' : v === 'en' ? 'English' : v }));
  const speakers = new Map();
  for (const r of results) if (r.speaker) speakers.set(r.speaker, (speakers.get(r.speaker) || 0) + 1);
  const top = [...speakers].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 8).map(([value, turns]) => ({ value, turns }));
  facet(i18n('Speakers'), top, 'speaker', nameNode);
  if (facets.childElementCount) overview.append(facets);
}

// yearChart is a bar chart of matches per year: an image whose title and
// description say the figures, each bar narrowing the search to its year
// for a pointer (the date filters do the same from the keyboard).
function yearChart(years) {
  const first = +years[0].value, last = +years[years.length - 1].value;
  const by = new Map(years.map((y) => [+y.value, y.turns]));
  const all = [];
  for (let y = first; y <= last; y++) all.push({ year: y, turns: by.get(y) || 0 });
  const max = Math.max(...all.map((y) => y.turns));
  const gap = 4, H = 64, top = 12, bottom = 16;
  const W = Math.max(14, Math.min(44, Math.floor(560 / all.length) - gap));
  const svg = document.createElementNS(SVG, 'svg');
  const width = all.length * (W + gap);
  const set = (e, attrs) => { for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v)); return e; };
  const node = (name, attrs, text) => {
    const e = set(document.createElementNS(SVG, name), attrs);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  set(svg, { viewBox: `0 0 ${width} ${H + top + bottom}`, width: Math.min(width, 640), class: 'year-chart', role: 'img',
    'aria-labelledby': 'year-chart-title year-chart-desc' });
  svg.append(node('title', { id: 'year-chart-title' }, i18n('Chart')),
    node('desc', { id: 'year-chart-desc' }, all.map((y) => fmt(i18n('ChartBar'), { y: String(y.year), n: y.turns })).join(i18n('ListSep'))));
  svg.append(node('line', { x1: 0, y1: top + H + 0.5, x2: width, y2: top + H + 0.5, class: 'axis' }));
  // year labels: the first, the last and every fifth year, 32 px apart
  const labels = [];
  all.forEach((y, i) => {
    if (i !== 0 && i !== all.length - 1 && y.year % 5 !== 0) return;
    while (labels.length > 1 && (i - labels[labels.length - 1]) * (W + gap) < 32) labels.pop();
    if (labels.length === 0 || (i - labels[labels.length - 1]) * (W + gap) >= 32) labels.push(i);
  });
  all.forEach((y, i) => {
    const h = y.turns ? Math.max(2, Math.round((y.turns / max) * H)) : 0;
    const x = i * (W + gap);
    const bar = node('rect', { x, y: top + H - h, width: W, height: h, rx: 2, 'data-year': y.year });
    svg.append(applyFilter(bar, { from: `${y.year}-01-01`, to: `${y.year}-12-31` }));
    if (y.turns === max) svg.append(node('text', { x: x + W / 2, y: top + H - h - 2, 'text-anchor': 'middle', class: 'peak' }, num.format(y.turns)));
    if (labels.includes(i)) {
      svg.append(node('text', { x: x + W / 2, y: top + H + bottom - 3, 'text-anchor': 'middle' }, String(y.year)));
    }
  });
  const fig = el('figure', { class: 'year-figure' });
  fig.append(svg);
  return fig;
}

// tokens splits text for comparing a typed quote with the record: each
// Han character alone, each run of letters or digits, each run of
// anything else (punctuation and spaces, which never count as a
// difference); key is the folded form that is compared.
// folded is text in its search form, code point for code point (the
// client's fold).
function tokens(text, folded) {
  const out = [];
  const keys = [...folded];
  let at = 0;
  const re = /(\p{Script=Han})|([\p{L}\p{N}\p{M}]+)|([^\p{Script=Han}\p{L}\p{N}\p{M}]+)/gu;
  for (const m of text.matchAll(re)) {
    const t = m[0];
    const n = [...t].length;
    out.push({ text: t, key: keys.slice(at, at + n).join(''), sep: !!m[3] });
    at += n;
  }
  return out;
}

// renderCheck shows, when the best result holds the query only nearly,
// its wording with what differs from the query marked, and its citation;
// folded holds the query and that wording in their search forms.
function renderCheck(results, p, folded) {
  check.replaceChildren();
  check.hidden = true;
  const r = results[0];
  if (!r || !r.quote) return;
  const said = tokens(r.quote, folded[1]);
  const typed = tokens(p.q, folded[0]).filter((t) => !t.sep);
  const parts = diffArrays(typed, said.filter((t) => !t.sep), { comparator: (a, b) => a.key === b.key });
  // walk the record's words, separators included, beside the diff
  const quote = inLang(el('blockquote', { class: 'diff' }), r.lang);
  let k = 0;
  const push = (node) => quote.append(node);
  const seps = () => { while (k < said.length && said[k].sep) push(document.createTextNode(said[k++].text)); };
  for (const part of parts) {
    if (part.removed) {
      const han = part.value.every((t) => /^\p{Script=Han}$/u.test(t.text));
      push(el('del', { text: part.value.map((t) => t.text).join(han ? '' : ' ') }));
      continue;
    }
    for (let i = 0; i < part.value.length; i++) {
      seps();
      const t = said[k++];
      push(part.added ? el('ins', { text: t.text }) : document.createTextNode(t.text));
    }
  }
  seps();
  const cite = el('p', { class: 'meta' });
  const a = el('a', { href: safeHref(r.url) }, ...metaNodes(r), ' · ', inLang(el('span', { text: r.title }), r.lang));
  cite.append('— ', a);
  check.append(el('h2', { text: i18n('CheckTitle') }), el('p', { text: i18n('CheckIntro') }), quote, cite,
    el('p', { class: 'meta legend' }, el('ins', { text: i18n('CheckIns') }), ' ', el('del', { text: i18n('CheckDel') })));
  check.hidden = false;
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
  history.replaceState(null, '', searchURL(p));
}

function clear() {
  list.replaceChildren();
  overview.replaceChildren();
  check.replaceChildren();
  check.hidden = true;
  more.hidden = true;
}

async function run() {
  const p = params();
  syncURL(p);
  const mine = ++seq;
  if (!p.q) {
    clear();
    status.textContent = '';
    return;
  }
  status.textContent = i18n('Loading');
  try {
    const { page, fold } = await loadClient();
    const { results, summary } = await page(p.q, { ...filterOpts(p), limit, base: base() });
    if (mine !== seq) return;
    render(results, summary, p);
    renderOverview(results, summary, p);
    const folded = results[0] && results[0].quote ? await fold([p.q, results[0].quote]) : null;
    if (mine !== seq) return;
    renderCheck(results, p, folded);
  } catch (err) {
    // an index rebuilt in a format this page's client cannot read
    if (mine === seq && err && err.stale) {
      status.replaceChildren(i18n('Stale'), ' ', el('a', { href: location.href, text: i18n('Reload') }));
    } else if (mine === seq) status.textContent = i18n('Error');
    console.warn('search failed', err);
  }
}

// schedule searches 200 ms after the last input, so that typing does not
// search every letter; a quote pasted or dropped in is whole, and is
// searched at once.
function schedule(e) {
  limit = PAGE;
  clearTimeout(timer);
  const whole = e && (e.inputType === 'insertFromPaste' || e.inputType === 'insertFromDrop');
  timer = setTimeout(run, whole ? 0 : 200);
}

// Restore a shared search from the URL.
const initial = new URL(location.href).searchParams;
for (const k of FIELDS) {
  const f = form.elements.namedItem(k);
  if (f && initial.get(k)) f.value = initial.get(k);
}
if (FILTERS.some((k) => initial.get(k))) app.querySelector('details.filters').open = true;

form.addEventListener('input', schedule);
// Each input, at once, has the client read what the search of it, 200 ms
// later, reads first (its terms' dictionary entries): a round trip the
// reader no longer waits for. Not while an input method composes, when
// the box holds what is being spelled.
input.addEventListener('input', (e) => {
  if (e.isComposing || !input.value.trim()) return;
  loadClient().then((c) => c.warm(input.value, { base: base() })).catch(() => {});
});
form.addEventListener('change', schedule);
form.addEventListener('submit', (e) => { e.preventDefault(); limit = PAGE; run(); });
more.addEventListener('click', () => { limit += PAGE; run(); });
// On focus (the box has autofocus, so often before this script runs),
// fetch the client and what every query needs while the reader types.
const prepare = () => loadClient().then((c) => c.prepare({ base: base(), cjk: lang.startsWith('zh') })).catch(() => {});
if (document.activeElement === input) prepare();
else input.addEventListener('focus', prepare, { once: true });
const first = input.value ? run() : null;
// The offer to keep the whole search on the device, once the client has
// started (it knows the index's files) and a search in the address has
// been shown: appearing above results, it would push them down.
Promise.resolve(first).then(loadClient).then((c) => offerKeep({
  box: document.getElementById('search-keep'), base: base(), files: () => c.files({ base: base() }),
  text: i18n, fmt, lang,
})).catch((err) => console.warn('keeping the search: not offered', err));
