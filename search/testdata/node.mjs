// Test helper: runs the client on a JSON request read from stdin and
// prints the answer as JSON. Requests:
//   {"client": PATH, "analyze": [text, ...], "variants": BASE64}
//                                                        → [[token, ...], ...]
//   {"client": PATH, "stem": [word, ...]}               → [stem, ...]
//   {"client": PATH, "alternatives": [query, ...], "variants": BASE64}
//                                                        → [[query, ...], ...]
//   {"client": PATH, "base": DIR, "queries": [{"q": QUERY, "opts": {...}}, ...]}
//                                                        → [[result, ...], ...]
//   {"client": PATH, "base": DIR, "pages": [{"q": QUERY, "opts": {...}}, ...]}
//                                                        → [{results, summary}, ...]
//   {"client": PATH, "base": DIR, "depth": [QUERY, ...]} → [{depth, requests}, ...]
//     each query in a fresh client over a counting fetch: depth is the
//     longest chain of requests each issued after the one before it ended;
//     with "warmed": true, the client is first warmed with the query (as
//     the search page does while the reader types), and only the search's
//     own requests count
// A query that fails answers {"error": MESSAGE, "stale": BOOL}.
import { pathToFileURL } from "node:url";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const req = JSON.parse(input);
const client = await import(pathToFileURL(req.client).href);
let out;
if (req.variants) client.setVariants(Uint8Array.from(Buffer.from(req.variants, "base64")));
if (req.analyze) {
  out = req.analyze.map((t) => client.analyze(t));
} else if (req.alternatives) {
  out = req.alternatives.map((q) => client.alternatives(q));
} else if (req.stem) {
  out = req.stem.map((w) => client.stem(w));
} else if (req.pages) {
  out = [];
  for (const { q, opts } of req.pages) out.push(await answer(() => client.page(q, { ...opts, base: req.base })));
} else if (req.depth) {
  out = [];
  for (const q of req.depth) out.push(await depth(q));
} else {
  out = [];
  for (const { q, opts } of req.queries) out.push(await answer(() => client.search(q, { ...opts, base: req.base })));
}

async function answer(f) {
  try {
    return await f();
  } catch (err) {
    return { error: String(err.message), stale: !!err.stale };
  }
}

// depth runs q in a fresh client that reads req.base over a fetch that
// serves the files from disk, honouring Range, and records which requests
// had ended when each was issued.
async function depth(q) {
  const { readFile } = await import("node:fs/promises");
  const path = await import("node:path");
  const base = "http://fixture.invalid/search/";
  const reqs = [];
  globalThis.fetch = async (url, opts = {}) => {
    const ended = reqs.filter((r) => r.ended);
    const r = { depth: 1 + Math.max(0, ...ended.map((e) => e.depth)) };
    reqs.push(r);
    let body;
    try {
      body = await readFile(path.join(req.base, url.slice(base.length)));
    } catch {
      r.ended = true;
      return new Response(null, { status: 404 });
    }
    let status = 200;
    const range = opts.headers && opts.headers.Range;
    if (range) {
      const [a, b] = range.slice("bytes=".length).split("-").map(Number);
      body = body.subarray(a, b + 1);
      status = 206;
    }
    // ends on a later turn of the event loop, as a response would
    await new Promise((res) => setTimeout(res, 1));
    r.ended = true;
    return new Response(body, { status });
  };
  const idx = new client.SearchIndex(base, { own: true });
  if (req.warmed) {
    await idx.warm(q);
    reqs.length = 0;
  }
  await idx.search(q, { limit: 10 });
  return { depth: Math.max(0, ...reqs.map((r) => r.depth)), requests: reqs.length };
}
process.stdout.write(JSON.stringify(out));
