/* global localStorage, CustomEvent */
// Optional server copy of the "Mein Northeim" profile (modules/profile, opt-in with account and
// consent). Browser-only stays the default: without a citizen sign-in in this browser this script
// sends no request at all (the account pages set/clear a flag in localStorage).
(function () {
  'use strict';
  var KEY = 'lotse.meinNortheim.v1';
  var FLAG = 'lotse.meinNortheim.server';
  var URL_ = '/mein-northeim/konto/profil.json';

  var marker = document.querySelector('[data-profile-session]');
  if (marker) {
    if (marker.getAttribute('data-profile-session') === 'on') localStorage.setItem(FLAG, '1');
    else localStorage.removeItem(FLAG);
  }
  var box = document.getElementById('mn-server');
  if (!box || localStorage.getItem(FLAG) !== '1') return;
  var t = JSON.parse(box.getAttribute('data-texts') || '{}');
  var csrf = null;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) if (attrs[k] != null) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  function when(iso) {
    try {
      return new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(
        new Date(iso),
      );
    } catch {
      return iso;
    }
  }
  function local() {
    try {
      return JSON.parse(localStorage.getItem(KEY) || 'null') || {};
    } catch {
      return {};
    }
  }
  function status() {
    return fetch(URL_, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' }).then(function (r) {
      return r.json();
    });
  }
  function problem(r) {
    return r.json().then(
      function (b) {
        return b.title || String(r.status);
      },
      function () {
        return String(r.status);
      },
    );
  }

  status()
    .then(function (s) {
      if (!s || !s.signedIn) {
        localStorage.removeItem(FLAG);
        return;
      }
      csrf = s.csrfToken;
      box.textContent = '';
      var account = el('a', { class: 'kern-link', href: '/mein-northeim/konto' }, t.account);
      if (!s.consentCurrent) {
        box.appendChild(el('p', { class: 'kern-body' }, t.consent));
        box.appendChild(el('p', { class: 'kern-body' })).appendChild(account);
        return;
      }
      var state = el('p', { class: 'kern-body', id: 'mn-server-state' });
      function showState(iso) {
        state.textContent = t.signedIn + ' ' + (iso ? t.serverState.replace('{when}', when(iso)) : t.serverEmpty);
      }
      showState(s.updatedAt);
      var msg = el('p', { class: 'kern-body mn-status', role: 'status', id: 'mn-server-status' });
      var actions = el('div', { class: 'lotse-actions' });
      var up = el('button', { type: 'button', class: 'kern-btn kern-btn--secondary', id: 'mn-server-upload' });
      up.appendChild(el('span', { class: 'kern-label' }, t.upload));
      var down = el('button', { type: 'button', class: 'kern-btn kern-btn--secondary', id: 'mn-server-download' });
      down.appendChild(el('span', { class: 'kern-label' }, t.download));
      actions.appendChild(up);
      actions.appendChild(down);
      box.appendChild(state);
      box.appendChild(actions);
      box.appendChild(msg);
      box.appendChild(el('p', { class: 'kern-body' })).appendChild(account);

      function upload(p) {
        return fetch(URL_, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify(p),
        }).then(
          function (r) {
            if (!r.ok) {
              return problem(r).then(function (m) {
                msg.textContent = t.failed.replace('{msg}', m);
              });
            }
            return r.json().then(function (b) {
              showState(b.updatedAt);
              msg.textContent = t.uploaded;
              var mn = document.getElementById('mn-status');
              if (mn && mn.textContent) mn.textContent = t.uploaded;
            });
          },
          function () {
            msg.textContent = t.failed.replace('{msg}', '–');
          },
        );
      }
      // Saving the form or ticking "erledigt" syncs too; quick successive changes go up once.
      var timer = null;
      window.lotseProfileSync = function (p) {
        clearTimeout(timer);
        timer = setTimeout(function () {
          upload(p);
        }, 400);
      };
      up.addEventListener('click', function () {
        upload(local());
      });
      down.addEventListener('click', function () {
        status().then(function (fresh) {
          if (!fresh.profile) {
            msg.textContent = t.serverEmpty;
            return;
          }
          localStorage.setItem(KEY, JSON.stringify(fresh.profile));
          document.dispatchEvent(new CustomEvent('lotse:profile-loaded'));
          showState(fresh.updatedAt);
          msg.textContent = t.downloaded;
        });
      });
    })
    .catch(function () {
      /* offline or server unreachable: the browser profile keeps working */
    });
})();
