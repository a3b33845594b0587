// Progressive enhancement for every page: copy-link buttons, j/k between
// turns, and the highlighted target turn. Everything works without it.

const turns = () => Array.from(document.querySelectorAll('.turn'));

function targetTurn() {
  const id = decodeURIComponent(location.hash.slice(1));
  if (!id) return null;
  const el = document.getElementById(id);
  return el ? el.closest('.turn, .narrative') : null;
}

function highlight() {
  document.querySelectorAll('.is-target').forEach((el) => el.classList.remove('is-target'));
  const t = targetTurn();
  if (t) {
    t.classList.add('is-target');
    t.scrollIntoView({ block: 'start' });
  }
}

function setupCopy() {
  document.querySelectorAll('button.copy').forEach((btn) => {
    if (!navigator.clipboard) return;
    btn.hidden = false;
    btn.addEventListener('click', async () => {
      const url = new URL('#' + btn.dataset.id, location.href).href;
      try {
        await navigator.clipboard.writeText(url);
        const label = btn.textContent;
        btn.textContent = document.documentElement.lang === 'en' ? 'Link copied' : '已複製連結';
        setTimeout(() => { btn.textContent = label; }, 1500);
      } catch (_) { /* clipboard refused: the permalink beside it still works */ }
    });
  });
}

function setupKeys() {
  document.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const tag = (e.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'textarea' || tag === 'select' || e.target.isContentEditable) return;
    if (e.key !== 'j' && e.key !== 'k') return;
    const list = turns();
    if (!list.length) return;
    const cur = list.findIndex((t) => t.classList.contains('is-target'));
    let next;
    if (cur < 0) {
      // From the first turn below the top of the viewport.
      next = list.findIndex((t) => t.getBoundingClientRect().top > 1);
      if (next < 0) next = list.length - 1;
      if (e.key === 'k') next = Math.max(0, next - 1);
    } else {
      next = Math.min(list.length - 1, Math.max(0, cur + (e.key === 'j' ? 1 : -1)));
    }
    e.preventDefault();
    history.replaceState(null, '', '#' + list[next].id);
    highlight();
    const link = list[next].querySelector('.permalink');
    if (link) link.focus({ preventScroll: true });
  });
}

window.addEventListener('hashchange', highlight);
highlight();
setupCopy();
setupKeys();
