// Short turn links: /t/#<key>.<id> → /<record slug>/#<id>.
//
// The record key is looked up in a static shard, t/<first character>.json,
// written by the ogarchive generator (redirect.WriteShortLinks). The page
// is left with location.replace, so the short link does not stay in the
// history, and only for a same-origin path that came from the lookup.
//
// The page may set, on this script: data-base (the site's root path,
// default: the path before "t/") and data-shards (where the shards are,
// default: <base>t/); and on an element #t-status: data-invalid,
// data-missing, data-failed, the messages shown when the link is malformed,
// unknown, or the lookup fails.
(function () {
  'use strict';

  var script = document.currentScript;
  var defaults = {
    invalid: 'This is not a valid link to a turn.',
    missing: 'This link points to a record that is no longer in the archive.',
    failed: 'The link could not be looked up. Please try again.'
  };

  function say(kind) {
    var status = document.getElementById('t-status');
    if (status) {
      status.textContent = status.getAttribute('data-' + kind) || defaults[kind];
    }
  }

  function attr(name) {
    return script ? script.getAttribute(name) : null;
  }

  var base = attr('data-base') || location.pathname.replace(/t\/?(index\.html)?$/, '');
  if (base.charAt(base.length - 1) !== '/') {
    base += '/';
  }
  var shards = attr('data-shards') || base + 't/';

  function run() {
    var m = /^#([a-z0-9]{4,64})\.([a-z2-7]{8}(?:-[1-9][0-9]{0,5})?)$/.exec(location.hash.toLowerCase());
    if (!m) {
      say('invalid');
      return;
    }
    var key = m[1], id = m[2];
    fetch(shards + key.charAt(0) + '.json', { credentials: 'same-origin' })
      .then(function (res) {
        if (!res.ok) {
          throw new Error('HTTP ' + res.status);
        }
        return res.json();
      })
      .then(function (table) {
        var path = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : null;
        // A site path: one leading slash, no scheme, host, query or fragment.
        if (typeof path !== 'string' || !/^\/[^\/\\?#\u0000-\u001f]/.test(path) || /[\\?#\u0000-\u001f]/.test(path)) {
          say('missing');
          return;
        }
        var target = new URL(base + path.slice(1), location.href);
        if (target.origin !== location.origin) {
          say('missing');
          return;
        }
        location.replace(target.pathname + '#' + id);
      })
      .catch(function () {
        say('failed');
      });
  }

  window.addEventListener('hashchange', run);
  run();
})();
