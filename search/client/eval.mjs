// Known-item evaluation of the static search client.
//
//   node eval.mjs SEARCH_DIR QUERIES_JSON [LIMIT]
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
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [dir, queriesFile, limitArg] = process.argv.slice(2);
if (!dir || !queriesFile) {
  console.error("usage: node eval.mjs SEARCH_DIR QUERIES_JSON [LIMIT]");
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

async function run(idx, q) {
  const b0 = idx.bytes, r0 = idx.requests, t0 = performance.now();
  const results = await idx.search(q.query, { limit: 10 });
  const ms = performance.now() - t0;
  const answers = [q, ...(q.also ?? [])];
  const rank = results.findIndex((r) => answers.some((a) => r.source === a.source && r.turn === a.turn)) + 1;
  return { rank, bytes: idx.bytes - b0, requests: idx.requests - r0, ms };
}

const cold = [], warm = [];
const misses = [];
for (const q of queries) cold.push(await run(new SearchIndex(abs), q));
const shared = new SearchIndex(abs);
for (const q of queries) {
  const r = await run(shared, q);
  warm.push(r);
  if (r.rank !== 1) misses.push({ query: q.query, source: q.source, turn: q.turn, rank: r.rank });
}

const ranks = warm.map((r) => r.rank);
const report = {
  queries: queries.length,
  mrr10: ranks.reduce((s, r) => s + (r > 0 && r <= 10 ? 1 / r : 0), 0) / queries.length,
  hit1: ranks.filter((r) => r === 1).length / queries.length,
  hit10: ranks.filter((r) => r > 0 && r <= 10).length / queries.length,
  coldAgrees: cold.every((c, i) => c.rank === warm[i].rank),
  cold: {
    bytesMedian: median(cold.map((r) => r.bytes)),
    bytesP90: pct(cold.map((r) => r.bytes), 0.9),
    requestsMedian: median(cold.map((r) => r.requests)),
    msMedian: Math.round(median(cold.map((r) => r.ms)) * 10) / 10,
    msP90: Math.round(pct(cold.map((r) => r.ms), 0.9) * 10) / 10,
  },
  warm: {
    bytesMedian: median(warm.map((r) => r.bytes)),
    bytesP90: pct(warm.map((r) => r.bytes), 0.9),
    requestsMedian: median(warm.map((r) => r.requests)),
    msMedian: Math.round(median(warm.map((r) => r.ms)) * 10) / 10,
    msP90: Math.round(pct(warm.map((r) => r.ms), 0.9) * 10) / 10,
  },
  misses,
};
console.log(JSON.stringify(report, null, 2));
