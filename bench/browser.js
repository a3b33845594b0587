// Runs one known-item query in the page the way each engine's own search
// page would, and reports its top 10 and the time from loading the engine
// to having them. Loaded into the benchmark's blank page by bench/browser.go.
window.knownItem = async (engine, query) => {
  const t0 = performance.now();
  let results;
  if (engine === "ours") {
    const { search } = await import("/search/client.js");
    results = (await search(query, { limit: 10 })).map((r) => ({ url: r.url, source: r.source, turn: r.turn }));
  } else {
    // As Pagefind UI does: the top results' data, with their sub-results.
    const pf = await import("/pagefind/pagefind.js");
    await pf.init();
    const r = await pf.search(query);
    const top = await Promise.all((r?.results ?? []).slice(0, 10).map((x) => x.data()));
    results = top.map((d) => ({ url: d.url, subs: (d.sub_results ?? []).map((s) => s.url) }));
  }
  return { ms: performance.now() - t0, results };
};
