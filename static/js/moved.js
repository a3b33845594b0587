// Static, not fingerprinted: every redirect page uses it, and it must stay
// published whichever redirect pages exist (incremental builds keep files).
// A page at an old address: go on to the record with the link's #fragment,
// which the meta refresh (kept for readers without script) would drop.
const target = document.currentScript && document.currentScript.dataset.target;
if (target && target.startsWith('/') && !target.startsWith('//')) {
  location.replace(target + location.hash);
}
