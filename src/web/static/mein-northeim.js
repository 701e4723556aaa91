/* global localStorage, location */
// "Mein Northeim": a personal start page stored ONLY in this browser (localStorage).
// No network requests, no cookies, no third parties. Export and delete buttons included.
// Only with a citizen account (opt-in, modules/profile) profile-sync.js keeps a server copy.
(function () {
  'use strict';
  var KEY = 'lotse.meinNortheim.v1';
  var dataEl = document.getElementById('mn-data');
  var data = dataEl ? JSON.parse(dataEl.textContent || '{}') : null;

  function load() {
    try {
      return JSON.parse(localStorage.getItem(KEY) || 'null') || { situations: [], done: [], easy: false, large: false, english: false, idExpiry: '', passExpiry: '' };
    } catch {
      return { situations: [], done: [], easy: false, large: false, english: false, idExpiry: '', passExpiry: '' };
    }
  }
  function save(p) {
    localStorage.setItem(KEY, JSON.stringify(p));
    // Optional server copy (profile-sync.js; only active with a citizen account and consent).
    if (typeof window.lotseProfileSync === 'function') window.lotseProfileSync(p);
  }
  function applyLarge(p) {
    document.documentElement.classList.toggle('mn-large-text', !!p.large);
  }
  // Larger text and "Einfache Sprache first" apply on every catalog page that loads this script.
  var profile = load();
  applyLarge(profile);
  if (profile.easy) {
    var easy = document.querySelector('.catalog-easy');
    var desc = document.getElementById('h-desc');
    if (easy && desc && desc.parentNode && desc.parentNode.parentNode) desc.parentNode.parentNode.insertBefore(easy, desc.parentNode);
  }
  if (!data || !document.getElementById('mn-form')) return;

  var form = document.getElementById('mn-form');
  var status = document.getElementById('mn-status');
  var mine = document.getElementById('mn-mine');
  var reminders = document.getElementById('mn-reminders');
  var t = data.texts;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) if (attrs[k] != null) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  function daysUntil(iso) {
    var d = new Date(iso + 'T00:00:00');
    if (isNaN(d.getTime())) return null;
    var today = new Date();
    today.setHours(0, 0, 0, 0);
    return Math.round((d.getTime() - today.getTime()) / 86400000);
  }

  function render() {
    var p = load();
    applyLarge(p);
    form.querySelectorAll('input[name="situations"]').forEach(function (i) {
      i.checked = p.situations.indexOf(i.value) >= 0;
    });
    form.easy.checked = !!p.easy;
    form.large.checked = !!p.large;
    form.english.checked = !!p.english;
    form.idExpiry.value = p.idExpiry || '';
    form.passExpiry.value = p.passExpiry || '';

    reminders.textContent = '';
    [['idExpiry', t.idCard, data.reminderServices.id], ['passExpiry', t.passport, data.reminderServices.pass]].forEach(function (r) {
      if (!p[r[0]]) return;
      var d = daysUntil(p[r[0]]);
      if (d === null) return;
      var box = el('div', { class: 'kern-alert ' + (d < 90 ? 'kern-alert--warning' : 'kern-alert--info') });
      var head = el('div', { class: 'kern-alert__header' });
      head.appendChild(el('span', { class: 'kern-icon ' + (d < 90 ? 'kern-icon--warning' : 'kern-icon--info'), 'aria-hidden': 'true' }));
      head.appendChild(el('span', { class: 'kern-title' }, r[1] + ': ' + (d < 0 ? t.expired : t.expires.replace('{d}', String(d)))));
      box.appendChild(head);
      if (d < 120) {
        var body = el('div', { class: 'kern-alert__body' });
        var a = el('a', { class: 'kern-link', href: '/leistungen/' + encodeURIComponent(r[2]) }, t.renew);
        body.appendChild(a);
        box.appendChild(body);
      }
      reminders.appendChild(box);
    });

    mine.textContent = '';
    var chosen = data.situations.filter(function (s) {
      return p.situations.indexOf(s.slug) >= 0;
    });
    if (!chosen.length) {
      mine.appendChild(el('p', { class: 'kern-body' }, t.empty));
      return;
    }
    chosen.forEach(function (s) {
      var sec = el('section', { class: 'mn-situation', 'aria-labelledby': 'mn-h-' + s.slug });
      sec.appendChild(el('h3', { class: 'kern-heading-small', id: 'mn-h-' + s.slug }, s.title));
      var next = s.services.filter(function (x) {
        return p.done.indexOf(x.id) < 0;
      })[0];
      if (next) {
        var np = el('p', { class: 'kern-body mn-next' });
        np.appendChild(el('strong', {}, t.next + ': '));
        np.appendChild(el('a', { class: 'kern-link', href: '/leistungen/' + encodeURIComponent(next.id), lang: data.lang === 'en' ? 'de' : null }, next.title));
        sec.appendChild(np);
      }
      var ul = el('ul', { class: 'kern-list mn-list' });
      s.services.forEach(function (x) {
        var li = el('li');
        var id = 'mn-done-' + s.slug + '-' + x.id;
        var cb = el('input', { type: 'checkbox', id: id, class: 'kern-form-check__checkbox', 'data-service': x.id });
        cb.checked = p.done.indexOf(x.id) >= 0;
        cb.addEventListener('change', function () {
          var q = load();
          q.done = q.done.filter(function (d) {
            return d !== x.id;
          });
          if (cb.checked) q.done.push(x.id);
          save(q);
          render();
          var again = document.getElementById(id);
          if (again) again.focus();
        });
        var lab = el('label', { for: id, class: 'kern-label mn-done-label' }, t.done);
        var a = el('a', { class: 'kern-link', href: '/leistungen/' + encodeURIComponent(x.id) }, x.title);
        var wrap = el('span', { class: 'mn-item' });
        wrap.appendChild(a);
        wrap.appendChild(cb);
        wrap.appendChild(lab);
        li.appendChild(wrap);
        ul.appendChild(li);
      });
      sec.appendChild(ul);
      mine.appendChild(sec);
    });
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var p = load();
    p.situations = Array.prototype.slice.call(form.querySelectorAll('input[name="situations"]:checked')).map(function (i) {
      return i.value;
    });
    p.easy = form.easy.checked;
    p.large = form.large.checked;
    p.english = form.english.checked;
    p.idExpiry = form.idExpiry.value;
    p.passExpiry = form.passExpiry.value;
    save(p);
    render();
    status.textContent = t.saved;
    if (p.english && data.lang !== 'en') location.href = '/sprache/en?zurueck=' + encodeURIComponent('/mein-northeim');
    else if (!p.english && data.lang === 'en') location.href = '/sprache/de?zurueck=' + encodeURIComponent('/mein-northeim');
  });
  document.getElementById('mn-export').addEventListener('click', function () {
    var blob = new Blob([JSON.stringify(load(), null, 2)], { type: 'application/json' });
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'mein-northeim.json';
    document.body.appendChild(a);
    a.click();
    setTimeout(function () {
      URL.revokeObjectURL(a.href);
      a.remove();
    }, 0);
  });
  document.getElementById('mn-delete').addEventListener('click', function () {
    localStorage.removeItem(KEY);
    render();
    status.textContent = t.deleted;
  });
  // profile-sync.js loaded the server copy into localStorage.
  document.addEventListener('lotse:profile-loaded', render);
  render();
})();
