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
  for (const { q, opts } of req.pages) out.push(await client.page(q, { ...opts, base: req.base }));
} else {
  out = [];
  for (const { q, opts } of req.queries) out.push(await client.search(q, { ...opts, base: req.base }));
}
process.stdout.write(JSON.stringify(out));
