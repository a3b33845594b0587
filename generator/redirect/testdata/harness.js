// Runs assets/t.js in Node against a fake page, for shortlink_test.go.
// Usage: node harness.js <t.js> <config JSON>; prints what the script did.
'use strict';
const fs = require('fs');
const vm = require('vm');

const [, , scriptPath, configJSON] = process.argv;
const cfg = JSON.parse(configJSON);
const out = { replaced: null, status: null, fetched: [] };

const url = new URL(cfg.href);
const status = {
  textContent: '',
  getAttribute: (n) => (cfg.statusAttrs || {})[n] ?? null,
};
const sandbox = {
  URL,
  Object,
  Error,
  location: {
    href: url.href,
    hash: url.hash,
    pathname: url.pathname,
    origin: url.origin,
    replace: (u) => { out.replaced = u; },
  },
  document: {
    currentScript: { getAttribute: (n) => (cfg.scriptAttrs || {})[n] ?? null },
    getElementById: (id) => (id === 't-status' ? status : null),
  },
  window: { addEventListener: () => {} },
  fetch: async (u, opts) => {
    out.fetched.push(u);
    if (opts.credentials !== 'same-origin') throw new Error('credentials');
    const rel = u.startsWith(cfg.serve) ? u.slice(cfg.serve.length) : null;
    const file = rel && /^[a-z2-7]\.json$/.test(rel) ? cfg.dir + '/' + rel : null;
    if (!file || !fs.existsSync(file)) return { ok: false, status: 404, json: async () => ({}) };
    const text = fs.readFileSync(file, 'utf8');
    return { ok: true, status: 200, json: async () => JSON.parse(text) };
  },
};
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(scriptPath, 'utf8'), sandbox, { filename: 't.js' });
setTimeout(() => {
  out.status = status.textContent || null;
  process.stdout.write(JSON.stringify(out));
}, 50);
