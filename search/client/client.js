// ogarchive search client: queries the static index that `ogarchive build`
// exports to public/search/, in a browser or in Node ≥ 20, with no server.
//
//   import { search } from "/search/client.js";
//   const results = await search("開放政府", { lang: "zh-TW", limit: 10 });
//
// Each result is {id, url, source, turn, speaker, date, title, lang,
// snippet, quote?, twin?, twinLang?, score}; snippet is HTML (escaped text, matches in
// <mark>), quote the turn's wording of a quote it holds only nearly, twin
// the permalink of the same turn in the other language. page(query, opts)
// adds a summary of every match: counts per year, kind and language, and
// per record of the results. The ranking is
// the one the Go package search implements (see its documentation); this
// file ports its analysis and ranking line for line, and the Go tests check
// that both agree. Files are read with HTTP range requests, so a query
// fetches only the dictionary buckets, postings, and texts it needs; in
// Node the index may also be a directory (a path or a file: URL), read from
// disk. `new SearchIndex(base)` gives a client of its own, whose requests
// and bytes count what it has read (client/eval.mjs uses them). Loaded as
// a module worker, it answers page, prepare, warm, files and fold as
// messages (see the end of this file); the search page runs it so.

const K1 = 1.2;
const B = 0.75;
const IMPACT_SCALE = 255;
const IDF_SCALE = 4096;
const FIRST_CHECK = 10;
const MORE_CHECKS = 30;
const ANCHOR_TERMS = 3;
const MIN_RARE = 2;
const SNIPPET_LEN = 160;
const SNIPPET_LEAD = 40;
const SCORE_UNIT = IDF_SCALE * IMPACT_SCALE;
const DOC_ENTRY = 10;
const FORMAT = 4;

const EMBEDDED = null; // the export's manifest and variant tables (see search/export.go)


const KIND_WORD = 1;
const KIND_BIGRAM = 2;
const KIND_UNIGRAM = 3;

const CLASS_SEP = 0;
const CLASS_WORD = 1;
const CLASS_CJK = 2;

const isNode = typeof process !== "undefined" && !!(process.versions && process.versions.node) &&
  typeof window === "undefined";

// ---------------------------------------------------------------- analysis

const cjkRe = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}]/u;
const wordRe = /[\p{L}\p{N}\p{M}]/u;
const classCache = new Uint8Array(0x10000); // class + 1, 0 = not yet known

// variants maps a Han code point to the form its variants fold to (Go:
// variants.go): 臺 and 台 to 台, Traditional to Simplified. It is the
// export's variants.bin, which SearchIndex loads before it analyses text
// that is not ASCII; until then fold leaves Han characters as they are.
let variants = null;

/**
 * setVariants reads the export's variants.bin, inflated (Go: variantsFile):
 * the variant table's length, the table (per folded code point, its gap
 * from the previous one, then its fold's zigzag distance), then the phrase
 * table as "key\tvalue\n" lines.
 */
export function setVariants(buf) {
  const m = new Map();
  const pos = { i: 0 };
  const end = readUvarint(buf, pos) + pos.i;
  let cp = 0;
  while (pos.i < end) {
    cp += readUvarint(buf, pos);
    const z = readUvarint(buf, pos);
    m.set(cp, cp + (z % 2 === 1 ? -(z + 1) / 2 : z / 2));
  }
  variants = m;
  phrases = new Map();
  for (const line of utf8.decode(buf.subarray(end)).split("\n")) {
    const tab = line.indexOf("\t");
    if (tab > 0) phrases.set(line.slice(0, tab), line.slice(tab + 1));
  }
}

// phrases maps a folded mainland phrase to its folded Taiwan phrase (Go:
// phraseTable); empty until setVariants.
let phrases = new Map();
const MAX_PHRASE = 8;
const ALT_SHIFT = 3;

/**
 * alternatives returns the queries to run for q: q and, when it holds
 * mainland phrases, q folded with each replaced by its Taiwan phrase (Go:
 * alternatives).
 */
export function alternatives(q) {
  const rs = codePoints(foldName(q));
  const out = [];
  let changed = false;
  for (let i = 0; i < rs.length;) {
    let n = 0;
    for (let k = Math.min(MAX_PHRASE, rs.length - i); k >= 2; k--) {
      const v = phrases.get(String.fromCodePoint(...rs.slice(i, i + k)));
      if (v !== undefined) {
        out.push(...codePoints(v));
        n = k;
        changed = true;
        break;
      }
    }
    if (n === 0) {
      out.push(rs[i]);
      n = 1;
    }
    i += n;
  }
  return changed ? [q, String.fromCodePoint(...out)] : [q];
}

/** fold maps a code point to its search form (Go: fold). */
export function fold(cp) {
  if (cp < 0x80) return cp >= 65 && cp <= 90 ? cp + 32 : cp;
  if (cp >= 0xff01 && cp <= 0xff5e) cp -= 0xfee0;
  else if (cp === 0x3000) cp = 0x20;
  if (cp < 0x80) return cp >= 65 && cp <= 90 ? cp + 32 : cp;
  cp = String.fromCodePoint(cp).toLowerCase().codePointAt(0);
  if (variants !== null && cp >= 0x3400 && cp <= 0xfaff) {
    const v = variants.get(cp);
    if (v !== undefined) return v;
  }
  return cp;
}

function classify(cp) {
  if (cp < 0x80) {
    return (cp >= 97 && cp <= 122) || (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) ? CLASS_WORD : CLASS_SEP;
  }
  if (cp < 0x10000 && classCache[cp]) return classCache[cp] - 1;
  const s = String.fromCodePoint(cp);
  const c = cjkRe.test(s) ? CLASS_CJK : wordRe.test(s) ? CLASS_WORD : CLASS_SEP;
  if (cp < 0x10000) classCache[cp] = c + 1;
  return c;
}

function codePoints(text) {
  const out = [];
  for (const ch of text) out.push(ch.codePointAt(0));
  return out;
}

/**
 * analyze splits text into tokens {term, kind, pos, start, end} (offsets in
 * code points), as a query sees text (Go: analyze).
 */
export function analyze(text) {
  const toks = [];
  const cps = codePoints(text);
  let run = [];
  let runStart = 0, runClass = CLASS_SEP, pos = 0;
  const flush = (end) => {
    const n = run.length;
    if (n === 0) return;
    if (runClass === CLASS_WORD) {
      let letters = true;
      for (const r of run) letters = letters && r >= 97 && r <= 122;
      let term = String.fromCodePoint(...run);
      if (letters) term = stem(term);
      toks.push({ term, kind: KIND_WORD, pos: pos++, start: runStart, end });
    } else {
      for (let i = 0; i + 1 < n; i++) {
        toks.push({ term: String.fromCodePoint(run[i], run[i + 1]), kind: KIND_BIGRAM, pos: pos++, start: runStart + i, end: runStart + i + 2 });
      }
      if (n === 1) {
        toks.push({ term: String.fromCodePoint(run[0]), kind: KIND_UNIGRAM, pos: pos++, start: end - 1, end });
      }
    }
    run = [];
  };
  for (let i = 0; i < cps.length; i++) {
    const f = fold(cps[i]);
    const c = classify(f);
    if (c !== runClass) {
      flush(i);
      runClass = c;
      runStart = i;
    }
    if (c !== CLASS_SEP) run.push(f);
  }
  flush(cps.length);
  return toks;
}

/** normalize folds text and collapses separators (Go: normalize). */
function normalize(text) {
  const out = [], offs = [];
  let sep = true, i = 0;
  for (const ch of text) {
    const f = fold(ch.codePointAt(0));
    if (classify(f) === CLASS_SEP) {
      if (!sep) {
        out.push(0x20);
        offs.push(i);
      }
      sep = true;
    } else {
      out.push(f);
      offs.push(i);
      sep = false;
    }
    i++;
  }
  if (out.length > 0 && out[out.length - 1] === 0x20) {
    out.pop();
    offs.pop();
  }
  return { runes: out, offs };
}

/** foldName folds a speaker name (Go: foldName). */
export function foldName(s) {
  let out = "";
  for (const ch of s) out += String.fromCodePoint(fold(ch.codePointAt(0)));
  return out;
}

// Porter (1980) stemmer, a port of porter.go.

function isCons(b, i) {
  switch (b[i]) {
    case "a": case "e": case "i": case "o": case "u":
      return false;
    case "y":
      return i === 0 || !isCons(b, i - 1);
  }
  return true;
}

function measure(s) {
  let n = 0, i = 0;
  while (i < s.length && isCons(s, i)) i++;
  for (;;) {
    while (i < s.length && !isCons(s, i)) i++;
    if (i >= s.length) return n;
    while (i < s.length && isCons(s, i)) i++;
    n++;
  }
}

function hasVowel(s) {
  for (let i = 0; i < s.length; i++) if (!isCons(s, i)) return true;
  return false;
}

function doubleCons(s) {
  const n = s.length;
  return n >= 2 && s[n - 1] === s[n - 2] && isCons(s, n - 1);
}

function cvc(s) {
  const n = s.length;
  if (n < 3 || !isCons(s, n - 3) || isCons(s, n - 2) || !isCons(s, n - 1)) return false;
  const c = s[n - 1];
  return c !== "w" && c !== "x" && c !== "y";
}

function replaceSuffix(b, rules, cond) {
  let best = -1;
  for (let i = 0; i < rules.length; i++) {
    if (b.endsWith(rules[i][0]) && (best < 0 || rules[i][0].length > rules[best][0].length)) best = i;
  }
  if (best < 0) return b;
  const s = b.slice(0, b.length - rules[best][0].length);
  if (!cond(s)) return b;
  return s + rules[best][1];
}

const STEP2 = [
  ["ational", "ate"], ["tional", "tion"], ["enci", "ence"], ["anci", "ance"],
  ["izer", "ize"], ["abli", "able"], ["alli", "al"], ["entli", "ent"],
  ["eli", "e"], ["ousli", "ous"], ["ization", "ize"], ["ation", "ate"],
  ["ator", "ate"], ["alism", "al"], ["iveness", "ive"], ["fulness", "ful"],
  ["ousness", "ous"], ["aliti", "al"], ["iviti", "ive"], ["biliti", "ble"],
];
const STEP3 = [
  ["icate", "ic"], ["ative", ""], ["alize", "al"], ["iciti", "ic"],
  ["ical", "ic"], ["ful", ""], ["ness", ""],
];
const STEP4 = [
  "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
  "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize",
].map((s) => [s, ""]);

/** stem is the Porter stemmer for a lower-case ASCII word (Go: stem). */
export function stem(w) {
  if (w.length <= 2) return w;
  let b = w;
  // step 1a
  if (b.endsWith("sses") || b.endsWith("ies")) b = b.slice(0, -2);
  else if (b.endsWith("ss")) { /* unchanged */ } else if (b.endsWith("s")) b = b.slice(0, -1);
  // step 1b
  if (b.endsWith("eed")) {
    if (measure(b.slice(0, -3)) > 0) b = b.slice(0, -1);
  } else {
    let s = null;
    if (b.endsWith("ed") && hasVowel(b.slice(0, -2))) s = b.slice(0, -2);
    else if (b.endsWith("ing") && hasVowel(b.slice(0, -3))) s = b.slice(0, -3);
    if (s !== null) {
      if (s.endsWith("at") || s.endsWith("bl") || s.endsWith("iz")) s += "e";
      else if (doubleCons(s)) {
        const c = s[s.length - 1];
        if (c !== "l" && c !== "s" && c !== "z") s = s.slice(0, -1);
      } else if (measure(s) === 1 && cvc(s)) s += "e";
      b = s;
    }
  }
  // step 1c
  if (b.endsWith("y") && hasVowel(b.slice(0, -1))) b = b.slice(0, -1) + "i";
  b = replaceSuffix(b, STEP2, (s) => measure(s) > 0);
  b = replaceSuffix(b, STEP3, (s) => measure(s) > 0);
  const whole = b;
  b = replaceSuffix(b, STEP4, (s) => {
    if (measure(s) <= 1) return false;
    if (whole.endsWith("ion")) return s.endsWith("s") || s.endsWith("t");
    return true;
  });
  // step 5
  if (b.endsWith("e")) {
    const s = b.slice(0, -1);
    const m = measure(s);
    if (m > 1 || (m === 1 && !cvc(s))) b = s;
  }
  if (b.endsWith("ll") && measure(b) > 1) b = b.slice(0, -1);
  return b;
}

// ------------------------------------------------------------ query plan

function parseQuery(q) {
  const toks = analyze(q);
  const p = { terms: [], phrase: normalize(q).runes, text: [], chars: [], word: false };
  const index = new Map();
  toks.forEach((t, i) => {
    const key = (t.kind === KIND_UNIGRAM ? "c" : "t") + t.term;
    const soft = toks.length >= 3 && t.kind === KIND_WORD && (i === 0 || i === toks.length - 1);
    if (index.has(key)) {
      const term = p.terms[index.get(key)];
      term.required = term.required || !soft;
      return;
    }
    index.set(key, p.terms.length);
    p.terms.push({ key, required: !soft });
    if (t.kind === KIND_UNIGRAM) p.chars.push(t.term.codePointAt(0));
    else p.text.push(key);
  });
  const ph = p.phrase;
  p.word = ph.length > 0 && !ph.includes(0x20) && classify(ph[0]) === CLASS_WORD && classify(ph[ph.length - 1]) === CLASS_WORD;
  return p;
}

/** phraseIndex finds the phrase in runes at or after from, or -1 (Go: plan.phraseIndex). */
function phraseIndex(p, runes, from) {
  const n = p.phrase.length;
  for (let i = from; i + n <= runes.length;) {
    const k = runeIndex(runes, p.phrase, i);
    if (k < 0) return -1;
    if (!p.word || ((k === 0 || classify(runes[k - 1]) !== CLASS_WORD) && (k + n === runes.length || classify(runes[k + n]) !== CLASS_WORD))) return k;
    i = k + 1;
  }
  return -1;
}

function idf(df, n) {
  return Math.round(Math.log(1 + (n - df + 0.5) / (df + 0.5)) * IDF_SCALE);
}

function runeIndex(s, sub, from = 0) {
  if (sub.length === 0) return -1;
  outer: for (let i = from; i + sub.length <= s.length; i++) {
    for (let j = 0; j < sub.length; j++) if (s[i + j] !== sub[j]) continue outer;
    return i;
  }
  return -1;
}

function minWindow(hits) {
  const want = new Set(hits.map((h) => h.term));
  if (want.size === 0) return [0, 0, 0];
  const count = new Map();
  let have = 0, best = -1, l = 0, lo = 0, hi = 0;
  for (let r = 0; r < hits.length; r++) {
    const t = hits[r].term;
    if (!count.get(t)) have++;
    count.set(t, (count.get(t) || 0) + 1);
    while (have === want.size) {
      const span = hits[r].pos - hits[l].pos;
      if (best < 0 || span < best) {
        best = span;
        lo = l;
        hi = r;
      }
      const lt = hits[l].term;
      count.set(lt, count.get(lt) - 1);
      if (count.get(lt) === 0) have--;
      l++;
    }
  }
  return [lo, hi, want.size];
}

/** check looks for the query in a text (Go: plan.check). */
function check(p, text, u) {
  const m = { bonus: 0, phrase: false, start: -1, end: -1, near: 0 };
  const { runes, offs } = normalize(text);
  const k = phraseIndex(p, runes, 0);
  if (k >= 0) {
    m.phrase = true;
    m.bonus += u;
    m.start = offs[k];
    m.end = offs[k + p.phrase.length - 1] + 1;
  }
  const hits = analyze(text).filter((t) => p.text.includes("t" + t.term));
  const [lo, hi, distinct] = minWindow(hits);
  if (distinct > 0) {
    if (distinct >= 2 && p.text.length >= 2) {
      const span = hits[hi].pos - hits[lo].pos + 1;
      m.bonus += Math.floor((u * distinct * distinct) / (2 * p.text.length * span));
    }
    if (m.start < 0) {
      m.start = hits[lo].start;
      m.end = hits[hi].end;
      m.near = distinct;
    }
  }
  if (m.start < 0) {
    let i = 0;
    for (const ch of text) {
      if (p.chars.includes(fold(ch.codePointAt(0)))) {
        m.start = i;
        m.end = i + 1;
        break;
      }
      i++;
    }
  }
  return m;
}

/** quote returns the turn's words for a quote it does not hold verbatim (Go: plan.quote). */
function quote(p, text, m) {
  const n = p.text.length;
  if (m.phrase || n < 3 || 2 * m.near < n || m.end - m.start > 2 * p.phrase.length + 8) return "";
  return String.fromCodePoint(...codePoints(text).slice(m.start, m.end));
}

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** snippet renders the text around a match as escaped HTML (Go: plan.snippet). */
function snippet(p, text, m) {
  const rs = codePoints(text);
  const n = rs.length;
  let from = m.start > SNIPPET_LEAD ? m.start - SNIPPET_LEAD : 0;
  const to = Math.min(n, from + SNIPPET_LEN);
  if (to - from < SNIPPET_LEN) from = Math.max(0, to - SNIPPET_LEN);

  const marks = [];
  const { runes, offs } = normalize(text);
  const ph = p.phrase;
  if (ph.length > 0) {
    for (let i = 0; ;) {
      const k = phraseIndex(p, runes, i);
      if (k < 0) break;
      marks.push([offs[k], offs[k + ph.length - 1] + 1]);
      i = k + ph.length;
    }
  }
  for (const t of analyze(text)) {
    if (p.text.includes("t" + t.term)) marks.push([t.start, t.end]);
  }
  rs.forEach((r, i) => {
    if (p.chars.includes(fold(r))) marks.push([i, i + 1]);
  });
  marks.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged = [];
  for (const r of marks) {
    const k = merged.length - 1;
    if (k >= 0 && r[0] <= merged[k][1]) {
      merged[k][1] = Math.max(merged[k][1], r[1]);
      continue;
    }
    merged.push([r[0], r[1]]);
  }

  let out = from > 0 ? "…" : "";
  let mi = 0, open = false, space = false;
  for (let i = from; i < to; i++) {
    while (mi < merged.length && merged[mi][1] <= i) mi++;
    if (!open && mi < merged.length && merged[mi][0] <= i) {
      out += "<mark>";
      open = true;
    }
    const r = rs[i];
    if (r <= 0x20) {
      if (!space) out += " ";
      space = true;
    } else {
      space = false;
      const ch = String.fromCodePoint(r);
      out += ESCAPES[ch] || ch;
    }
    if (open && (i + 1 === to || merged[mi][1] === i + 1)) {
      out += "</mark>";
      open = false;
    }
  }
  if (to < n) out += "…";
  return out;
}

// ------------------------------------------------------------------ files

function readUvarint(buf, pos) {
  let x = 0, mul = 1, b;
  do {
    b = buf[pos.i++];
    x += (b & 0x7f) * mul;
    mul *= 128;
  } while (b & 0x80);
  return x;
}

async function inflate(bytes) {
  if (isNode) {
    const zlib = await import(/* webpackIgnore: true */ nodeModule("zlib"));
    return new Uint8Array(zlib.inflateSync(bytes));
  }
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// nodeModule names a Node built-in without a literal import, so that a
// browser bundler does not try to resolve it.
function nodeModule(name) {
  return "node:" + name;
}

const utf8 = new TextDecoder();

/** runOf is the run of filters (a record's documents) holding document d. */
function runOf(filters, d) {
  let lo = 0, hi = filters.start.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (filters.start[mid] <= d) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
const utf8enc = new TextEncoder();

/**
 * MissingFile is thrown for a file the index names that the server no
 * longer has: a client holding the manifest of an earlier build.
 */
class MissingFile extends Error {}

/**
 * StaleIndex is thrown when the index was rebuilt in a way this client
 * cannot follow (another format): the page must be reloaded. Its message
 * says so; err.stale is true.
 */
export class StaleIndex extends Error {
  constructor(msg) {
    super(msg);
    this.stale = true;
  }
}

/** Files reads the index files over HTTP(S) or, in Node, from disk. */
class Files {
  constructor(base) {
    this.requests = 0;
    this.bytes = 0;
    this.whole = new Map(); // files a server sent whole instead of a range
    let b = base;
    if (b instanceof URL) b = b.href;
    if (isNode && (b.startsWith("file:") || !/^[a-z][a-z0-9+.-]*:/i.test(b))) {
      this.dir = b;
    } else {
      this.url = b.endsWith("/") ? b : b + "/";
    }
  }

  async path(name) {
    const path = await import(nodeModule("path"));
    let dir = this.dir;
    if (dir.startsWith("file:")) {
      const url = await import(nodeModule("url"));
      dir = url.fileURLToPath(dir);
    }
    return path.join(dir, name);
  }

  // isAt reports whether the files are those beside this module.
  async isAt(moduleDir) {
    if (this.url !== undefined) return new URL(this.url, moduleDir).href === moduleDir.href;
    const url = await import(nodeModule("url"));
    const path = await import(nodeModule("path"));
    return path.resolve(await this.path(".")) === path.resolve(url.fileURLToPath(moduleDir));
  }

  async text(name, fresh) {
    return utf8.decode(await this.all(name, fresh));
  }

  // all returns a whole file's bytes; fresh asks past any HTTP cache.
  async all(name, fresh = false) {
    if (this.dir !== undefined) {
      const fs = await import(nodeModule("fs/promises"));
      let data;
      try {
        data = await fs.readFile(await this.path(name));
      } catch (err) {
        throw err.code === "ENOENT" ? new MissingFile(`search: ${name} is gone`) : err;
      }
      this.requests++;
      this.bytes += data.length;
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    }
    const res = await fetch(this.url + name, fresh ? { cache: "no-cache" } : {});
    this.check(res, name);
    const buf = new Uint8Array(await res.arrayBuffer());
    this.requests++;
    this.bytes += buf.length;
    return buf;
  }

  check(res, name) {
    if (res.status === 404 || res.status === 410) throw new MissingFile(`search: ${this.url + name}: HTTP ${res.status}`);
    if (!res.ok) throw new Error(`search: ${this.url + name}: HTTP ${res.status}`);
  }

  // range returns bytes [start, end) of a file.
  async range(name, start, end) {
    if (end <= start) return new Uint8Array(0);
    if (this.whole.has(name)) return (await this.whole.get(name)).subarray(start, end);
    if (this.dir !== undefined) {
      const fs = await import(nodeModule("fs/promises"));
      let fh;
      try {
        fh = await fs.open(await this.path(name), "r");
      } catch (err) {
        throw err.code === "ENOENT" ? new MissingFile(`search: ${name} is gone`) : err;
      }
      try {
        const buf = new Uint8Array(end - start);
        const { bytesRead } = await fh.read(buf, 0, buf.length, start);
        this.requests++;
        this.bytes += bytesRead;
        return buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    }
    // no-store: Chromium's HTTP cache lets one request of a URL at a time
    // through, which made a query's parallel ranges of one file wait for
    // each other (seconds on a slow link); this client keeps what it read
    const res = await fetch(this.url + name, { headers: { Range: `bytes=${start}-${end - 1}` }, cache: "no-store" });
    if (res.status === 206) {
      const buf = new Uint8Array(await res.arrayBuffer());
      this.requests++;
      this.bytes += buf.length;
      return buf;
    }
    this.check(res, name);
    // The server ignores Range: keep the whole file for later ranges.
    const all = res.arrayBuffer().then((ab) => {
      this.requests++;
      this.bytes += ab.byteLength;
      return new Uint8Array(ab);
    });
    this.whole.set(name, all);
    return (await all).subarray(start, end);
  }
}

function base64Bytes(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// ----------------------------------------------------------------- index

// LOCATE_AHEAD is how many candidates have their texts located while the
// other terms are read: past it, the texts are located once the
// candidates are ranked, a round trip later.
const LOCATE_AHEAD = 256;
// EAGER_BYTES: the most a query reads of its other terms' postings in the
// round trip of its rarest's, whole, rather than a round trip later, only
// the parts where the rarest's documents are.
const EAGER_BYTES = 65536;

/**
 * SearchIndex is one exported index; it caches what it has fetched, so
 * later queries cost less. requests and bytes count what it transferred.
 *
 * An index is a list of segments (a base and, after a rebuild, a delta of
 * what changed), each with its own dictionary, postings and texts; their
 * documents are numbered one after the other, and base documents a delta
 * replaced are masked. Every file but manifest.json and client.js is named
 * by its content; the client.js an index is exported with carries that
 * index's manifest, so a page's first query starts with the dictionary.
 */
export class SearchIndex {
  // opts.own says that base holds the files this module was exported
  // with, for a module loaded from elsewhere (a simulation, a bundle):
  // otherwise the module checks that it was loaded from base.
  constructor(base, opts = {}) {
    this.own = !!opts.own;
    this.files = new Files(base);
    this.cache = new Map();
    this.runs = new Map(); // record file → its run in filters, as pages learn them
    this.loc = new Map(); // document → where its text is
  }

  get requests() {
    return this.files.requests;
  }

  get bytes() {
    return this.files.bytes;
  }

  once(key, f) {
    let v = this.cache.get(key);
    if (v === undefined) {
      v = f();
      this.cache.set(key, v);
      v.catch(() => this.cache.delete(key));
    }
    return v;
  }

  // embedded reports whether this module carries this index's manifest.
  embedded() {
    return this.once("embedded", async () => EMBEDDED !== null && (this.own || this.files.isAt(new URL("./", import.meta.url))));
  }

  manifest() {
    return this.once("manifest", async () => {
      const m = (await this.embedded()) ? EMBEDDED.manifest
        : JSON.parse(await this.files.text("manifest.json", true));
      return prepareManifest(m);
    });
  }

  /**
   * refresh reads manifest.json again after a file of this client's
   * manifest was missing: an index rebuilt since. It starts over with the
   * new manifest and returns true, or throws StaleIndex when this client
   * cannot read the new index; false when nothing changed.
   */
  async refresh() {
    const old = await this.manifest();
    const m = JSON.parse(await this.files.text("manifest.json", true));
    if (m.generation === old.generation) return false;
    if (m.format !== FORMAT) throw new StaleIndex("search: the archive's search index was updated; reload the page");
    const fresh = prepareManifest(m);
    this.cache = new Map([["manifest", Promise.resolve(fresh)], ["embedded", Promise.resolve(false)]]);
    this.loc = new Map();
    this.runs = new Map();
    return true;
  }

  filters() {
    return this.once("filters", async () => {
      const m = await this.manifest();
      const parts = await Promise.all(m.segments.map(async (s) =>
        JSON.parse(utf8.decode(await inflate(await this.files.all(s.filters))))));
      return joinFilters(m, parts);
    });
  }

  // order is a document's place in document order (newest record first),
  // which ties and sorting by newest follow; f is filters(), needed only
  // when there is a delta.
  order(d, f) {
    return f && f.order ? f.order(d) : d;
  }

  bucket(s, k) {
    return this.once(`b${s}:${k}`, async () => {
      const m = await this.manifest();
      const seg = m.segments[s];
      const raw = await inflate(await this.files.range(seg.dict, seg.bucketOffsets[k], seg.bucketOffsets[k + 1]));
      const pos = { i: 0 };
      const file = seg.postings[readUvarint(raw, pos)];
      let off = readUvarint(raw, pos);
      const entries = new Map();
      while (pos.i < raw.length) {
        const klen = readUvarint(raw, pos);
        const key = utf8.decode(raw.subarray(pos.i, pos.i + klen));
        pos.i += klen;
        const df = readUvarint(raw, pos);
        const len = readUvarint(raw, pos);
        const part = { seg: s, df, file, off, len, chunks: null, got: new Map(), full: null };
        if (df <= m.inline) {
          part.full = Promise.resolve(readPostings(raw, pos.i, pos.i + len, 0, seg.offset, new Map()));
          pos.i += len;
        } else {
          if (df > m.chunk) {
            part.chunks = [];
            let last = 0, coff = off;
            for (let c = 0; c < Math.ceil(df / m.chunk); c++) {
              last += readUvarint(raw, pos);
              const clen = readUvarint(raw, pos);
              part.chunks.push({ last, off: coff, len: clen });
              coff += clen;
            }
          }
          off += len;
        }
        entries.set(key, part);
      }
      return entries;
    });
  }

  // entry returns a key's entry: its document count over every segment
  // and its part in each segment that has it.
  async entry(key) {
    const m = await this.manifest();
    let h = 0x811c9dc5;
    for (const byte of utf8enc.encode(key)) {
      h ^= byte;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    const parts = (await Promise.all(m.segments.map((s, i) =>
      this.bucket(i, h & (s.buckets - 1)).then((b) => b.get(key))))).filter((p) => p);
    return { key, df: parts.reduce((n, p) => n + p.df, 0), parts };
  }

  // unread is how many bytes of a term's postings full would fetch.
  unread(e) {
    return e.parts.reduce((n, p) => n + (p.full ? 0 : p.len), 0);
  }

  // full returns a term's whole postings list as a Map doc → impact.
  async full(e) {
    const out = new Map();
    for (const map of await Promise.all(e.parts.map((p) => this.partFull(p)))) {
      for (const [d, imp] of map) out.set(d, imp);
    }
    return out;
  }

  async partFull(p) {
    if (!p.full) {
      const seg = (await this.manifest()).segments[p.seg];
      p.full = this.files.range(p.file, p.off, p.off + p.len).then((buf) =>
        readPostings(buf, 0, buf.length, 0, seg.offset, new Map()));
    }
    return p.full;
  }

  // lookup returns a Map doc → impact for those of docs (sorted) that hold
  // the term, reading only the chunks that may hold them when that is
  // cheaper than the whole list.
  async lookup(e, docs) {
    const m = await this.manifest();
    const out = new Map();
    const maps = await Promise.all(e.parts.map((p) => {
      const seg = m.segments[p.seg];
      const mine = docs.filter((d) => d >= seg.offset && d < seg.offset + seg.docs);
      return mine.length === 0 ? null : this.partLookup(p, seg, mine);
    }));
    for (const map of maps) if (map) for (const [d, imp] of map) out.set(d, imp);
    return out;
  }

  async partLookup(p, seg, docs) {
    const plan = this.chunksFor(p, seg, docs);
    if (plan === null) return this.partFull(p);
    const { need, todo } = plan;
    // adjacent chunks are read in one range
    const groups = [];
    for (const k of todo) {
      const g = groups[groups.length - 1];
      if (g && g[g.length - 1] === k - 1) g.push(k);
      else groups.push([k]);
    }
    await Promise.all(groups.map(async (g) => {
      const first = p.chunks[g[0]], last = p.chunks[g[g.length - 1]];
      const buf = await this.files.range(p.file, first.off, last.off + last.len);
      let at = 0;
      for (const k of g) {
        const ch = p.chunks[k];
        p.got.set(k, readPostings(buf, at, at + ch.len, k === 0 ? 0 : p.chunks[k - 1].last, seg.offset, new Map()));
        at += ch.len;
      }
    }));
    const out = new Map();
    for (const k of need) {
      const map = p.got.get(k);
      for (const d of docs) if (map.has(d)) out.set(d, map.get(d));
    }
    return out;
  }

  // chunksFor returns the chunks of a list that may hold docs and those of
  // them not read yet, or null when reading the whole list is cheaper.
  chunksFor(p, seg, docs) {
    if (!p.chunks || p.full) return null;
    const need = [];
    let c = 0;
    for (const d of docs) {
      while (c < p.chunks.length && p.chunks[c].last + seg.offset < d) c++;
      if (c === p.chunks.length) break;
      if (need[need.length - 1] !== c) need.push(c);
    }
    const todo = need.filter((k) => !p.got.has(k));
    let bytes = 0;
    for (const k of todo) bytes += p.chunks[k].len;
    return bytes + todo.length * 300 > p.len / 2 ? null : { need, todo };
  }

  // locate reads where the texts of docs are, from their segments' docs
  // tables, nearby entries in one range.
  async locate(docs) {
    const m = await this.manifest();
    const todo = [...new Set(docs)].filter((d) => !this.loc.has(d)).sort((a, b) => a - b);
    const groups = [];
    for (const d of todo) {
      const s = segmentOf(m, d);
      const g = groups[groups.length - 1];
      if (g && g.s === s && d - g.docs[g.docs.length - 1] <= 200) g.docs.push(d);
      else groups.push({ s, docs: [d] });
    }
    await Promise.all(groups.map((g) => {
      const seg = m.segments[g.s];
      const lo = g.docs[0] - seg.offset, hi = g.docs[g.docs.length - 1] - seg.offset + 1;
      const p = this.files.range(seg.docsTable, lo * DOC_ENTRY, hi * DOC_ENTRY).then((e) => {
        const v = new DataView(e.buffer, e.byteOffset, e.byteLength);
        const at = new Map();
        for (const d of g.docs) {
          const i = (d - seg.offset - lo) * DOC_ENTRY;
          at.set(d, {
            file: seg.text[e[i]], len: e[i + 1] | (e[i + 2] << 8) | (e[i + 3] << 16),
            off: v.getUint32(i + 4, true), slot: v.getUint16(i + 8, true),
          });
        }
        return at;
      });
      for (const d of g.docs) this.loc.set(d, p.then((at) => at.get(d)));
      p.catch(() => { for (const d of g.docs) this.loc.delete(d); });
      return p;
    }));
  }

  // doc reads a document and its record data from its block.
  doc(n) {
    return this.once("d" + n, async () => {
      if (!this.loc.has(n)) await this.locate([n]);
      const { file, off, len, slot } = await this.loc.get(n);
      const block = await this.once(`k${file}:${off}`, () =>
        this.files.range(file, off, off + len).then(inflate).then((b) => JSON.parse(utf8.decode(b))));
      return { doc: block.d[slot], rec: block.r };
    });
  }

  // variants loads the variant table once per index, before the first
  // text that needs it is analysed: an English query never needs it. The
  // client.js an index is exported with carries it.
  variants(text) {
    if (!/[^\x00-\x7f]/.test(text)) return null;
    return this.once("variants", async () => {
      if (await this.embedded()) return setVariants(await inflate(base64Bytes(EMBEDDED.variants)));
      setVariants(await inflate(await this.files.all((await this.manifest()).variants)));
    });
  }

  // retry runs f, and once more after a refresh when a file it needed is
  // gone (the index was rebuilt since this client read its manifest).
  async retry(f) {
    try {
      return await f();
    } catch (err) {
      if (!(err instanceof MissingFile) || !(await this.refresh())) throw err;
      return f();
    }
  }

  /**
   * search runs a query (see the module comment) and, when it holds
   * mainland phrases, its Taiwan alternative, merging the two by score
   * (Go: Searcher.Query).
   */
  async search(query, opts = {}) {
    const { results } = await this.retry(() => this.run(query, opts));
    for (const r of results) delete r.doc;
    return results;
  }

  /**
   * warm reads, as the reader types, what a search of what they have typed
   * reads first: its terms' dictionary entries. The search page calls it
   * on every input and searches 200 ms after the last (assets/js/search.js),
   * and that search finds them read, or on the way: a round trip the reader
   * does not wait for. (Reading the rarest term's postings too was measured
   * and gained nothing: the searches of the prefixes had mostly read them.)
   */
  async warm(query) {
    const q = String(query ?? "");
    await this.retry(async () => {
      await this.variants(q);
      await Promise.all(parseQuery(q).terms.map((t) => this.entry(t.key)));
    });
  }

  /**
   * page runs a query as search does and summarises every document that
   * holds it whole (Go: Searcher.Page): {results, summary}, the summary
   * {turns, meetings, records, years, kinds, langs, groups, partial}, each
   * count a {value, turns}.
   */
  async page(query, opts = {}) {
    const [{ results, held }, filters] = await this.retry(() => Promise.all([this.run(query, opts, true), this.filters()]));
    const tally = () => new Map();
    const add = (m, k) => m.set(k, (m.get(k) || 0) + 1);
    const years = tally(), kinds = tally(), langs = tally(), runs = tally();
    for (const d of held) {
      const r = runOf(filters, d);
      const date = filters.date[r];
      add(years, date.length < 4 ? "" : date.slice(0, 4));
      add(kinds, filters.kinds[filters.kind[r]]);
      add(langs, filters.langs[filters.lang[r]]);
      add(runs, r);
    }
    const cmpStr = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
    const counts = (m, order) => [...m].map(([value, turns]) => ({ value, turns })).sort(order);
    const byTurns = (a, b) => b.turns - a.turns || cmpStr(a.value, b.value);
    let meetings = 0;
    for (const r of runs.keys()) if (filters.kinds[filters.kind[r]] === "transcript") meetings++;
    const groups = [];
    for (const res of results) {
      if (groups.some((g) => g.value === res.source)) continue;
      const r = runOf(filters, res.doc);
      this.runs.set(res.source, r);
      groups.push({ value: res.source, turns: runs.get(r) || 0 });
    }
    for (const r of results) delete r.doc;
    return {
      results,
      summary: {
        turns: held.size, meetings, records: runs.size,
        years: counts(years, (a, b) => cmpStr(a.value, b.value)),
        kinds: counts(kinds, byTurns), langs: counts(langs, byTurns),
        groups, partial: held.size === 0,
      },
    };
  }

  // run runs a query and its alternatives: {results, held}, held (when
  // wanted) the documents holding one of them whole, after the filters.
  async run(query, opts, wantHeld = false) {
    const limit = opts.limit > 0 ? Math.floor(opts.limit) : 10;
    await this.variants(String(query ?? "") + [opts.speaker ?? ""].flat().join(""));
    const alts = alternatives(String(query ?? ""));
    const lists = [];
    const held = new Set();
    // the alternatives run side by side: one query's round trips
    const outs = await Promise.all(alts.map((a) => this.searchOne(a, opts, limit, false, wantHeld)));
    for (let i = 0; i < alts.length; i++) {
      const { results: rs, cands, partial } = outs[i];
      if (!partial) for (const d of cands) held.add(d);
      if (i > 0) {
        for (const r of rs) {
          r.raw -= Math.floor(r.raw / 2 ** ALT_SHIFT);
          r.score = r.raw / SCORE_UNIT;
        }
      }
      lists.push(rs);
    }
    let all = lists.flat();
    if (lists.length > 1) {
      const byDate = (a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0);
      all.sort(opts.sort === "newest" ? byDate : (a, b) => b.raw - a.raw);
      const seen = new Set();
      all = all.filter((r) => !seen.has(r.source + "#" + r.id) && seen.add(r.source + "#" + r.id)).slice(0, limit);
    }
    for (const r of all) delete r.raw;
    return { results: all, held };
  }

  // searchOne runs one query: {results, cands, partial}, cands the
  // documents holding it whole (when wantHeld) or at least those holding
  // its terms but the common ones. exact reads the common terms too.
  async searchOne(query, opts, limit, exact, wantHeld) {
    const p = parseQuery(query);
    if (p.terms.length === 0) return { results: [], cands: [], partial: true };
    const m = await this.manifest();
    const list = (v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]);
    const speakers = list(opts.speaker).map((s) => "s" + foldName(String(s)));
    const kinds = list(opts.kind).map(String);
    const langs = list(opts.lang).map((s) => String(s).toLowerCase());
    const from = opts.from || "", to = opts.to || "";
    // a record is named by its file; its run is known once a page has
    // shown one of its documents (the results' "more in this meeting")
    const record = opts.record ? String(opts.record) : "";
    const byRun = kinds.length > 0 || langs.length > 0 || from !== "" || to !== "" || record !== "";

    // Round trips: the dictionary; the rarest term's postings, unless its
    // entry holds them (with the other terms' whole, when short); the
    // other terms' postings for its documents, with where the texts of a
    // few candidates are; the texts. The common terms wait for a second
    // look, which few queries need (commonTerms).
    const [entries, spEntries, filters] = await Promise.all([
      Promise.all(p.terms.map((t) => this.entry(t.key))),
      Promise.all(speakers.map((k) => this.entry(k))),
      byRun || m.segments.length > 1 ? this.filters() : null,
    ]);
    const idfs = entries.map((e) => idf(e.df, m.docs));
    const skip = exact || opts.sort === "newest" ? [] : commonTerms(p, entries, m.common);
    const again = () => this.searchOne(query, opts, limit, true, wantHeld);
    const ord = (d) => this.order(d, filters);

    // filters by record run, and the base's replaced documents
    const keepRun = (r) => {
      if (record !== "" && this.runs.get(record) !== r) return false;
      if (kinds.length > 0 && !kinds.includes(filters.kinds[filters.kind[r]])) return false;
      if (langs.length > 0 && !langs.includes(filters.langs[filters.lang[r]].toLowerCase())) return false;
      const date = filters.date[r];
      if ((from !== "" || to !== "") && date === "") return false;
      if (from !== "" && date < from) return false;
      if (to !== "" && date > to) return false;
      return true;
    };
    const runFilter = (docs) => {
      docs = docs.filter((d) => !masked(m, d));
      if (!byRun) return docs;
      return docs.filter((d) => keepRun(runOf(filters, d)));
    };
    // reads the given terms' impacts for docs, the speakers' postings and,
    // for few docs, where their texts are, all at once
    const imps = new Map(); // term index → Map doc → impact
    const probe = async (terms, docs) => {
      const [maps, sp] = await Promise.all([
        Promise.all(terms.map((i) => this.lookup(entries[i], docs))),
        Promise.all(spEntries.map((e) => this.lookup(e, docs))),
        docs.length <= LOCATE_AHEAD ? this.locate(docs) : null,
      ]);
      terms.forEach((i, j) => imps.set(i, maps[j]));
      return speakers.length === 0 ? docs : docs.filter((d) => sp.some((mp) => mp.has(d)));
    };

    const required = p.terms.map((t, i) => i).filter((i) => p.terms[i].required && !skip.includes(i))
      .sort((a, b) => entries[a].df - entries[b].df || (p.terms[a].key < p.terms[b].key ? -1 : 1));
    let cands = [];
    let held = [];
    let partial = false; // no document holds the whole query
    if (required.every((i) => entries[i].df > 0)) {
      // the other terms' lists come with the rarest's, when that is not
      // in its dictionary entry, a round trip sooner, if they are short,
      // as a first look's mostly are
      const others = p.terms.map((t, i) => i).filter((i) => i !== required[0] && !skip.includes(i));
      const eager = this.unread(entries[required[0]]) > 0 &&
        others.reduce((n, i) => n + this.unread(entries[i]), 0) <= EAGER_BYTES;
      const [first, ...rest] = await Promise.all([required[0], ...(eager ? others : [])].map((i) => this.full(entries[i])));
      imps.set(required[0], first);
      if (eager) others.forEach((i, j) => imps.set(i, rest[j]));
      cands = runFilter([...first.keys()].sort((a, b) => a - b));
      // the common terms count for nothing in the first look; a page's
      // summary still needs which documents hold them, read meanwhile
      for (const i of skip) imps.set(i, new Map());
      const common = wantHeld ? skip.filter((i) => p.terms[i].required) : [];
      const holding = Promise.all(common.map((i) => this.full(entries[i])));
      // every other term at once, a round trip, though narrowing term by
      // term would read less: on a mobile link a round trip costs more
      // than most lists (measured: docs/BENCHMARKS.md)
      cands = await probe(p.terms.map((t, i) => i).filter((i) => !imps.has(i)), cands);
      cands = cands.filter((d) => required.every((i) => imps.get(i).has(d)));
      const maps = await holding;
      held = cands.filter((d) => maps.every((mp) => mp.has(d)));
    }
    // Nothing holds the rarer terms together, so nothing holds them all:
    // the exact look would read the common terms' lists to find no
    // candidate either, a round trip for nothing. Straight to the near
    // miss, over every term, as the exact look's would be.
    if (cands.length === 0) {
      // nothing holds every required term: documents holding one of the
      // rarest terms (Go: anchored)
      partial = true;
      imps.clear();
      const anchors = p.terms.map((t, i) => i).filter((i) => entries[i].df > 0)
        .sort((a, b) => entries[a].df - entries[b].df || (p.terms[a].key < p.terms[b].key ? -1 : p.terms[a].key > p.terms[b].key ? 1 : 0))
        .slice(0, ANCHOR_TERMS);
      const maps = await Promise.all(anchors.map((i) => this.full(entries[i])));
      const all = new Set();
      anchors.forEach((i, j) => {
        imps.set(i, maps[j]);
        for (const d of maps[j].keys()) all.add(d);
      });
      cands = runFilter([...all].sort((a, b) => a - b));
      cands = await probe(p.terms.map((t, i) => i).filter((i) => !imps.has(i)), cands);
    }

    const u = idfs.reduce((s, v) => s + v * IMPACT_SCALE, 0);
    const n = p.terms.length;
    const scored = cands.map((doc) => {
      let score = 0, c = 0;
      for (let i = 0; i < n; i++) {
        const imp = imps.get(i).get(doc);
        if (imp !== undefined) {
          score += idfs[i] * imp;
          c++;
        }
      }
      // coverage (Go: addCoverage): a near-miss quote's turn holds most terms
      if (partial) score += Math.floor((u * c * c) / (n * n));
      return { doc, score };
    });
    const checked = new Map();
    const checkAll = (cs) => Promise.all(cs.map(async (c) => {
      if (!checked.has(c.doc)) {
        const d = await this.doc(c.doc);
        checked.set(c.doc, { ...d, m: check(p, d.doc.x, u) });
      }
    }));
    let top = scored;
    if (opts.sort === "newest") {
      scored.sort((a, b) => ord(a.doc) - ord(b.doc));
      top = scored.slice(0, limit);
    } else {
      scored.sort((a, b) => b.score - a.score || ord(a.doc) - ord(b.doc));
      let n = Math.min(scored.length, Math.max(limit, FIRST_CHECK));
      // where the texts are, for a second look too, in one round trip
      await this.locate(scored.slice(0, Math.max(n, MORE_CHECKS)).map((c) => c.doc));
      await checkAll(scored.slice(0, n));
      if (!partial && !scored.slice(0, n).some((c) => checked.get(c.doc).m.phrase)) {
        n = Math.min(scored.length, Math.max(limit, MORE_CHECKS));
        await checkAll(scored.slice(0, n));
        // the first look found no turn holding the phrase: look again,
        // the common terms counted
        if (skip.length > 0 && !scored.slice(0, n).some((c) => checked.get(c.doc).m.phrase)) return again();
      }
      top = scored.slice(0, n);
      top.sort((a, b) => {
        const sa = a.score + checked.get(a.doc).m.bonus, sb = b.score + checked.get(b.doc).m.bonus;
        return sb - sa || ord(a.doc) - ord(b.doc);
      });
      top = top.slice(0, limit);
    }
    await checkAll(top);
    const results = top.map((c) => {
      const { doc, rec, m: match } = checked.get(c.doc);
      const q = quote(p, doc.x, match);
      return {
        id: doc.i,
        url: rec.u ? rec.u + "#" + doc.i : doc.u,
        source: rec.s,
        turn: doc.n,
        speaker: doc.p || "",
        date: rec.d,
        title: rec.t,
        lang: rec.l,
        snippet: snippet(p, doc.x, match),
        ...(q ? { quote: q } : {}),
        ...(doc.w ? { twin: doc.w.slice(doc.w.indexOf(" ") + 1), twinLang: doc.w.slice(0, doc.w.indexOf(" ")) } : {}),
        score: (c.score + match.bonus) / SCORE_UNIT,
        raw: c.score + match.bonus,
        doc: c.doc,
      };
    });
    return { results, cands: partial ? [] : held, partial };
  }
}

/**
 * commonTerms returns the terms of p (indexes) that the first look at a
 * query leaves out (Go: commonTerms): those in more than common documents,
 * when at least MIN_RARE required terms are in fewer. Their postings are
 * the longest a query would read (tens of kilobytes, ten times that in an
 * archive ten times as large) and their idf the smallest, while the rarer
 * terms narrow the candidates as well without them; the phrase check
 * reads them in the texts.
 */
function commonTerms(p, entries, common) {
  if (!(common > 0)) return [];
  const rare = p.terms.filter((t, i) => t.required && entries[i].df > 0 && entries[i].df <= common).length;
  if (rare < MIN_RARE) return [];
  return p.terms.map((t, i) => i).filter((i) => entries[i].df > common);
}

/**
 * prepareManifest checks a manifest's format and works out what the
 * client needs of it: each segment's first document and bucket offsets.
 */
function prepareManifest(m) {
  if (m.format !== FORMAT) throw new StaleIndex(`search: index format ${m.format}, client wants ${FORMAT}; reload the page`);
  let offset = 0;
  for (const s of m.segments) {
    const raw = base64Bytes(s.dictSizes);
    const offs = [0];
    const pos = { i: 0 };
    while (pos.i < raw.length) offs.push(offs[offs.length - 1] + readUvarint(raw, pos));
    s.bucketOffsets = offs;
    s.offset = offset;
    offset += s.docs;
  }
  m.masked = m.masked || [];
  return m;
}

/** segmentOf is the segment numbering document d. */
function segmentOf(m, d) {
  let s = 0;
  while (s + 1 < m.segments.length && m.segments[s + 1].offset <= d) s++;
  return s;
}

/** masked reports whether d is a base document a delta replaced. */
function masked(m, d) {
  const x = m.masked;
  for (let i = 0; i + 1 < x.length && x[i] <= d; i += 2) if (d < x[i + 1]) return true;
  return false;
}

/**
 * joinFilters makes one filter table of the segments' (Go: filters), its
 * runs numbered as their documents are, and, when there is a delta, an
 * order(d) that places its documents among the base's by document order.
 */
function joinFilters(m, parts) {
  const f = { start: [], date: [], kind: [], lang: [], kinds: [], langs: [] };
  const index = (list, v) => {
    let i = list.indexOf(v);
    if (i < 0) i = list.push(v) - 1;
    return i;
  };
  const firstRun = [];
  parts.forEach((p, s) => {
    firstRun.push(f.start.length);
    p.start.forEach((st, r) => {
      f.start.push(st + m.segments[s].offset);
      f.date.push(p.date[r]);
      f.kind.push(index(f.kinds, p.kinds[p.kind[r]]));
      f.lang.push(index(f.langs, p.langs[p.lang[r]]));
    });
  });
  if (m.segments.length > 1) {
    // a delta document sorts just before the base document its run names,
    // after the delta documents before it
    const base = m.segments[0].docs;
    const order = new Map();
    for (let s = 1; s < m.segments.length; s++) {
      const seg = m.segments[s], first = firstRun[s];
      for (let r = 0; r < seg.before.length; r++) {
        const lo = f.start[first + r], hi = r + 1 < seg.before.length ? f.start[first + r + 1] : seg.offset + seg.docs;
        for (let d = lo; d < hi; d++) order.set(d, seg.before[r]);
      }
    }
    const delta = [...order.keys()].sort((a, b) => order.get(a) - order.get(b) || a - b);
    const place = new Map();
    delta.forEach((d, i) => place.set(d, order.get(d) - 1 + (i + 1) / (delta.length + 1)));
    f.order = (d) => (d < base ? d : place.get(d));
  }
  return f;
}

/**
 * readPostings adds the postings in buf[from:to] (gaps from doc, then a
 * one-byte impact each) to map as document → impact, numbered from offset.
 */
function readPostings(buf, from, to, doc, offset, map) {
  const pos = { i: from };
  while (pos.i < to) {
    doc += readUvarint(buf, pos);
    map.set(doc + offset, buf[pos.i++]);
  }
  return map;
}

const indexes = new Map();

function defaultBase() {
  return new URL("./", import.meta.url);
}

function indexAt(base) {
  const b = base ?? defaultBase();
  const key = b instanceof URL ? b.href : String(b);
  let idx = indexes.get(key);
  if (!idx) {
    idx = new SearchIndex(b);
    indexes.set(key, idx);
  }
  return idx;
}

/**
 * search queries the index at opts.base: the URL of the search/ directory
 * or, in Node, its path or file: URL (default: the directory of this
 * module). Options: speaker (name or names), from and to (YYYY-MM-DD),
 * kind, lang (one or several), record (a record file a page has shown),
 * limit (default 10), sort ("relevance" or "newest").
 */
export async function search(query, { base, speaker, from, to, kind, lang, record, limit, sort } = {}) {
  return indexAt(base).search(query, { speaker, from, to, kind, lang, record, limit, sort });
}

/**
 * prepare fetches what any query of a results page needs first (the
 * manifest, the filter data and, for a page in Chinese, the variant
 * tables), so that a search box can start on them when it gets focus.
 */
export async function prepare({ base, cjk } = {}) {
  const idx = indexAt(base);
  await Promise.all([idx.filters(), cjk ? idx.variants("漢") : null]);
}

/** warm reads the dictionary entries a search of query needs (SearchIndex.warm). */
export async function warm(query, { base } = {}) {
  return indexAt(base).warm(query);
}

/**
 * files lists the index's files (relative to base) that the current
 * manifest names: every one a query may read, so that a page can keep
 * them all on the device. Each is named by its content.
 */
export async function files({ base } = {}) {
  const m = await indexAt(base).manifest();
  const out = new Set([m.variants]);
  for (const s of m.segments) {
    for (const f of [s.dict, ...s.postings, s.docsTable, ...s.text, s.filters]) out.add(f);
  }
  return [...out].filter((f) => f);
}

/** page is search with a summary of every match (SearchIndex.page). */
export async function page(query, { base, speaker, from, to, kind, lang, record, limit, sort } = {}) {
  return indexAt(base).page(query, { speaker, from, to, kind, lang, record, limit, sort });
}

/**
 * foldText is text with each code point in its search form (fold), code
 * point for code point, so that a page can compare what a reader typed
 * with a record's wording as the index does.
 */
export function foldText(text) {
  let out = "";
  for (const ch of String(text ?? "")) out += String.fromCodePoint(fold(ch.codePointAt(0)));
  return out;
}

// In a worker: the search page runs this client in one, so that reading
// long postings lists never holds up the page a reader types in. Each
// message {id, op, args} is answered {id, value} or {id, error}; "ready"
// is posted first, so the page knows the worker started.
if (typeof WorkerGlobalScope !== "undefined" && globalThis instanceof WorkerGlobalScope) {
  const ops = { page, prepare, files, warm, fold: (texts) => texts.map(foldText) };
  globalThis.onmessage = async ({ data }) => {
    const { id, op, args } = data || {};
    try {
      if (!Object.hasOwn(ops, op)) throw new Error(`search: no operation ${op}`);
      globalThis.postMessage({ id, value: await ops[op](...args) });
    } catch (err) {
      globalThis.postMessage({ id, error: { message: String((err && err.message) || err), stale: err instanceof StaleIndex } });
    }
  };
  globalThis.postMessage({ ready: true });
}
