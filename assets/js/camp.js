// Progressive enhancement for a consensus-camp page. The filters work
// without it (CSS :has() on the status radio buttons, :target on themes);
// this adds what CSS cannot: a shareable ?status= in the address, a count
// of the outcomes shown for screen readers, and the current theme marked
// in the theme list.

const camp = document.querySelector('article.camp');

function shown() {
  return Array.from(camp.querySelectorAll('.outcome')).filter((row) => row.getClientRects().length > 0).length;
}

function announce() {
  const out = camp.querySelector('.camp-count');
  if (out) out.textContent = (camp.dataset.i18nShown || '%d').replace('%d', String(shown()));
}

function markTheme() {
  const hash = location.hash;
  camp.querySelectorAll('.camp-themes a').forEach((a) => {
    if (a.getAttribute('href') === hash) a.setAttribute('aria-current', 'true');
    else a.removeAttribute('aria-current');
  });
}

if (camp) {
  const radios = Array.from(camp.querySelectorAll('.camp-filter input[name="status"]'));
  const wanted = new URLSearchParams(location.search).get('status');
  const match = radios.find((r) => r.value === wanted);
  if (match) match.checked = true;

  camp.querySelector('.camp-filter').addEventListener('change', (e) => {
    const url = new URL(location.href);
    if (e.target.value) url.searchParams.set('status', e.target.value);
    else url.searchParams.delete('status');
    history.replaceState(null, '', url);
    announce();
  });
  // The form has no submit button; Enter must not reload the page.
  camp.querySelector('.camp-filter').addEventListener('submit', (e) => e.preventDefault());
  window.addEventListener('hashchange', () => {
    markTheme();
    announce();
  });
  markTheme();
  if (match) announce();
}
