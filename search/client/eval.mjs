// Known-item evaluation of the static search client.
//
//   node eval.mjs SEARCH_DIR QUERIES_JSON [LIMIT] [--rtt MS --bw BYTES_PER_S]
//
// SEARCH_DIR is an exported public/search/ directory; QUERIES_JSON a list of
// {query, source, turn}: a phrase that occurs in exactly one speaker turn.
// A query may list other turns that hold the same phrase as
// also: [{source, turn}] (copies of a transcript), found as well.
// Each query runs twice: cold, with a fresh client (nothing cached), and
// warm, with one client that has already answered the queries before it.
// Prints JSON: MRR@10, hit@1, and medians of bytes read, requests and
// latency, cold and warm. Bytes are response bodies; the client reads
// files the way it would over HTTP, range by range.
//
// With --rtt (and --bw, default 200000), the queries run once more, cold
// and warm, over a simulated mobile link, and the JSON gains a "link"
// field with their figures; and a third time, typed: one client, each
// query entered as a reader types it into the search page, which searches
// as they type (assets/js/search.js) — a piece every TYPE_PACE ms (two Han
// characters, an input method's word, or a word and the space after it),
// the client warmed with each prefix at once and the prefix searched
// DEBOUNCE ms after its piece, in the background —
// and measured from the search of the whole query, DEBOUNCE ms after its
// last piece, to its answer. The client is given the base URL
// http://sim.invalid/search/ and so reads over the global fetch, which is
// replaced by a server of SEARCH_DIR (Range: bytes=a-b answered with 206,
// a missing file with 404) that delays each response by RTT + its body's
// bytes / bandwidth, every request at the full bandwidth even when several
// run at once. Time is simulated, not waited for: a response is delivered
// when the client has nothing else to do, at the simulated time it would
// arrive, and the client's own computing between responses counts at the
// time it really takes. So a query's time is what a reader on that link
// would wait. Per query the link records its time, requests, bytes and
// sequential depth: a request's depth is 1 + the largest depth of the
// query's requests that had completed when it was issued (0 for none), a
// query's depth the largest of its requests' (0 for no request): the
// round trips the query waits for one after another.
import { readFile } from "node:fs/promises";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import path from "node:path";

const usage = "usage: node eval.mjs SEARCH_DIR QUERIES_JSON [LIMIT] [--rtt MS] [--bw BYTES_PER_S]";
let args;
try {
  args = parseArgs({ allowPositionals: true, options: { rtt: { type: "string" }, bw: { type: "string" } } });
} catch (e) {
  console.error(`${e.message}\n${usage}`);
  process.exit(2);
}
const [dir, queriesFile, limitArg] = args.positionals;
const rtt = args.values.rtt === undefined ? null : Number(args.values.rtt);
const bw = Number(args.values.bw ?? 200000);
if (!dir || !queriesFile || (rtt !== null && !(rtt >= 0 && bw > 0))) {
  console.error(usage);
  process.exit(2);
}
const limit = Number(limitArg) || 0;
const abs = path.resolve(dir);
const { SearchIndex } = await import(pathToFileURL(path.join(abs, "client.js")).href);
let queries = JSON.parse(await readFile(queriesFile, "utf8"));
if (limit > 0) queries = queries.slice(0, limit);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : 0;
};
const round1 = (x) => Math.round(x * 10) / 10;

// rankOf is the 1-based rank of the first result that is one of q's
// turns; 0 for none.
const rankOf = (q, results) => {
  const answers = [q, ...(q.also ?? [])];
  return results.findIndex((r) => answers.some((a) => r.source === a.source && r.turn === a.turn)) + 1;
};

async function run(idx, q) {
  const b0 = idx.bytes, r0 = idx.requests, t0 = performance.now();
  const results = await idx.search(q.query, { limit: 10 });
  const ms = performance.now() - t0;
  return { rank: rankOf(q, results), bytes: idx.bytes - b0, requests: idx.requests - r0, ms };
}

// costs is the medians and p90s of what the queries cost.
const costs = (rs) => ({
  bytesMedian: median(rs.map((r) => r.bytes)),
  bytesP90: pct(rs.map((r) => r.bytes), 0.9),
  requestsMedian: median(rs.map((r) => r.requests)),
  msMedian: round1(median(rs.map((r) => r.ms))),
  msP90: round1(pct(rs.map((r) => r.ms), 0.9)),
});

// ------------------------------------------------------- simulated link

const SIM_BASE = "http://sim.invalid/search/";

/**
 * Link serves root through fetch(SIM_BASE + name) over a simulated link of
 * rtt ms and bw bytes per second per request, on a simulated clock (ms).
 * measure(f) runs one query, f(), and returns its figures.
 */
class Link {
  constructor(root, rtt, bw) {
    this.root = root;
    this.rtt = rtt;
    this.bw = bw;
    this.clock = 0; // simulated ms
    this.mark = performance.now(); // real time the clock was last brought up to
    this.pending = []; // responses in flight: {at, deliver, req}
    this.query = null; // the figures of the query being measured
    this.fetch = this.fetch.bind(this);
  }

  // tick adds the real time since the last tick to the clock: the
  // client's own computing.
  tick() {
    const now = performance.now();
    this.clock += now - this.mark;
    this.mark = now;
  }

  // serve reads what a static host would answer for url and init.
  serve(url, init) {
    const notFound = { status: 404, headers: { "Content-Type": "text/plain" }, body: new TextEncoder().encode("not found") };
    const u = new URL(url), base = new URL(SIM_BASE);
    if (u.origin !== base.origin || !u.pathname.startsWith(base.pathname)) return notFound;
    const name = decodeURIComponent(u.pathname.slice(base.pathname.length));
    const file = path.join(this.root, name);
    if (name === "" || path.relative(this.root, file).startsWith("..")) return notFound;
    let fd;
    try {
      fd = openSync(file, "r");
    } catch {
      return notFound;
    }
    try {
      const size = fstatSync(fd).size;
      const read = (start, end) => {
        const buf = new Uint8Array(end - start);
        const n = end > start ? readSync(fd, buf, 0, buf.length, start) : 0;
        return buf.subarray(0, n);
      };
      const range = new Headers(init?.headers).get("Range");
      const m = range && /^bytes=(\d+)-(\d*)$/.exec(range.trim());
      if (!m) return { status: 200, headers: { "Content-Length": String(size) }, body: read(0, size) };
      const start = Number(m[1]);
      const end = Math.min(size, m[2] === "" ? size : Number(m[2]) + 1);
      if (start >= size || end <= start) {
        return { status: 416, headers: { "Content-Range": `bytes */${size}` }, body: new Uint8Array(0) };
      }
      return {
        status: 206,
        headers: { "Content-Range": `bytes ${start}-${end - 1}/${size}`, "Content-Length": String(end - start) },
        body: read(start, end),
      };
    } finally {
      closeSync(fd);
    }
  }

  // fetch answers at the simulated time the response would arrive.
  fetch(input, init) {
    this.tick();
    const issued = this.clock;
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const res = this.serve(url, init ?? (typeof input === "object" && !(input instanceof URL) ? input : undefined));
    this.mark = performance.now(); // reading the file is the server's time, not the client's
    const q = this.query;
    const req = { q, depth: 0 };
    if (q) {
      req.depth = 1 + q.doneDepth;
      q.requests++;
      q.bytes += res.body.length;
      q.depth = Math.max(q.depth, req.depth);
    }
    return new Promise((resolve) => {
      this.pending.push({
        at: issued + this.rtt + (res.body.length * 1000) / this.bw,
        req,
        deliver: () => resolve(new Response(res.status === 416 ? null : res.body, { status: res.status, headers: res.headers })),
      });
    });
  }

  // idle waits until the client has nothing left to do but wait for the
  // network: the promises it awaits settle within a few turns of the loop.
  async idle() {
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  }

  // next delivers the earliest response in flight, the clock moving on to
  // its arrival.
  next() {
    this.tick();
    let k = 0;
    for (let i = 1; i < this.pending.length; i++) if (this.pending[i].at < this.pending[k].at) k = i;
    const [p] = this.pending.splice(k, 1);
    this.clock = Math.max(this.clock, p.at);
    if (p.req.q) p.req.q.doneDepth = Math.max(p.req.q.doneDepth, p.req.depth);
    p.deliver();
  }

  // drive delivers responses until promise settles; then it delivers what
  // is still in flight, outside any query.
  async drive(promise) {
    let settled = false;
    promise.then(() => (settled = true), () => (settled = true));
    for (;;) {
      await this.idle();
      if (settled) break;
      if (this.pending.length > 0) this.next();
      else await new Promise((r) => setTimeout(r, 1)); // waiting on something else: let it run
    }
    this.tick();
  }

  // wait lets ms pass on the simulated clock, delivering what arrives
  // meanwhile, outside any query: a reader typing while the searches of
  // what they typed before run.
  async wait(ms) {
    this.tick();
    const until = this.clock + ms;
    // next delivers the earliest: one due by then, while there is one
    for (await this.idle(); this.pending.some((p) => p.at <= until); await this.idle()) this.next();
    this.tick();
    this.clock = Math.max(this.clock, until);
  }

  async measure(f) {
    const q = { requests: 0, bytes: 0, depth: 0, doneDepth: 0 };
    this.query = q;
    this.tick();
    const t0 = this.clock;
    const p = f();
    await this.drive(p);
    q.ms = this.clock - t0;
    this.query = null;
    while (this.pending.length > 0) {
      this.next();
      await this.idle();
    }
    const results = await p;
    return { results, ms: q.ms, requests: q.requests, bytes: q.bytes, depth: q.depth };
  }
}

// linkCosts is the figures of the queries over the link.
const linkCosts = (rs) => ({
  ...costs(rs),
  depthMedian: median(rs.map((r) => r.depth)),
  depthMax: rs.reduce((m, r) => Math.max(m, r.depth), 0),
});

// TYPE_PACE is the time between the pieces a reader types (a fast
// typist's: an input method's word, or an English word, in 0.8 s);
// DEBOUNCE is the search page's wait after a key before it searches.
const TYPE_PACE = 800;
const DEBOUNCE = 200;

// pieces splits a query as a reader enters it: two Han characters at a
// time, as an input method commits a word, or a word with the spaces and
// punctuation after it.
function pieces(q) {
  const out = [];
  for (const m of q.matchAll(/\p{Script=Han}{1,2}|[^\p{Script=Han}\s]+|\s+/gu)) {
    if (/^\s/.test(m[0]) && out.length > 0) out[out.length - 1] += m[0];
    else out.push(m[0]);
  }
  return out;
}

// overLink runs the queries cold, warm and typed over a simulated link
// and returns their figures and ranks.
async function overLink(rtt, bw) {
  const link = new Link(abs, rtt, bw);
  const realFetch = globalThis.fetch;
  globalThis.fetch = link.fetch;
  try {
    const ask = async (idx, q) => {
      const r = await link.measure(() => idx.search(q.query, { limit: 10 }));
      return { rank: rankOf(q, r.results), ms: r.ms, requests: r.requests, bytes: r.bytes, depth: r.depth };
    };
    // One query first, not counted, so that the modules the client loads
    // on its first use are loaded.
    // The client is the one exported with SEARCH_DIR, which a page loads
    // from beside the files, so it reads the manifest it carries (own).
    if (queries.length > 0) await ask(new SearchIndex(SIM_BASE, { own: true }), queries[0]);
    const cold = [], warm = [];
    for (const q of queries) cold.push(await ask(new SearchIndex(SIM_BASE, { own: true }), q));
    // Each warm client is let go once its queries are done: at ten times
    // the archive, what three of them hold passes Node's heap.
    let shared = new SearchIndex(SIM_BASE, { own: true });
    for (const q of queries) warm.push(await ask(shared, q));
    shared = null;
    // typed: the searches of the prefixes run unmeasured, as the page's
    // would, while the reader types on
    const typed = [];
    const page = new SearchIndex(SIM_BASE, { own: true });
    for (const q of queries) {
      const ps = pieces(q.query);
      // the page warms the client on every input (a client without warm,
      // an older one, is measured as the page then was)
      const warmUp = (text) => (page.warm ? page.warm(text).catch(() => {}) : null);
      for (let i = 1; i < ps.length; i++) {
        const prefix = ps.slice(0, i).join("");
        warmUp(prefix);
        await link.wait(DEBOUNCE);
        page.search(prefix, { limit: 10 }).catch(() => {});
        await link.wait(TYPE_PACE - DEBOUNCE);
      }
      warmUp(q.query);
      await link.wait(DEBOUNCE);
      typed.push(await ask(page, q));
    }
    return { cold, warm, typed };
  } finally {
    globalThis.fetch = realFetch;
  }
}

// ------------------------------------------------------------- the runs

const cold = [], warm = [];
const misses = [];
for (const q of queries) cold.push(await run(new SearchIndex(abs), q));
{
  const shared = new SearchIndex(abs); // let go before the runs over the link
  for (const q of queries) {
    const r = await run(shared, q);
    warm.push(r);
    if (r.rank !== 1) misses.push({ query: q.query, source: q.source, turn: q.turn, rank: r.rank });
  }
}

const ranks = warm.map((r) => r.rank);
const report = {
  queries: queries.length,
  mrr10: ranks.reduce((s, r) => s + (r > 0 && r <= 10 ? 1 / r : 0), 0) / queries.length,
  hit1: ranks.filter((r) => r === 1).length / queries.length,
  hit10: ranks.filter((r) => r > 0 && r <= 10).length / queries.length,
  coldAgrees: cold.every((c, i) => c.rank === warm[i].rank),
  cold: costs(cold),
  warm: costs(warm),
  misses,
};
if (rtt !== null) {
  const l = await overLink(rtt, bw);
  report.link = {
    rttMs: rtt,
    bytesPerSecond: bw,
    // The answers over the link are the ones read from disk.
    agrees: [...l.cold, ...l.warm, ...l.typed].every((r, i) => r.rank === warm[i % warm.length].rank),
    cold: linkCosts(l.cold),
    warm: linkCosts(l.warm),
    typed: linkCosts(l.typed),
  };
}
console.log(JSON.stringify(report, null, 2));
