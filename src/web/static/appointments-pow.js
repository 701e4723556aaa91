/* global TextEncoder, crypto, btoa */
// Proof-of-work check for the booking forms (ALTCHA-compatible, no third-party service).
// Fetches a challenge, searches the number n with SHA-256(salt + n) === challenge using Web Crypto,
// and puts the base64 payload into the hidden "captcha" field. The form waits until it is solved.
(function () {
  'use strict';
  var enc = new TextEncoder();
  function hex(buf) {
    var b = new Uint8Array(buf), s = '';
    for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
    return s;
  }
  async function solve(ch) {
    var max = ch.maxnumber || 1000000;
    var batch = 64;
    for (var n = 0; n <= max; n += batch) {
      var jobs = [];
      for (var k = n; k < n + batch && k <= max; k++) jobs.push(crypto.subtle.digest('SHA-256', enc.encode(ch.salt + k)));
      var res = await Promise.all(jobs);
      for (var j = 0; j < res.length; j++) if (hex(res[j]) === ch.challenge) return n + j;
    }
    return -1;
  }
  function setup(box) {
    var form = box.closest('form');
    var input = form.querySelector('input[name="captcha"]');
    var status = box.querySelector('[data-pow-status]');
    var state = 'idle', wantSubmit = false;
    function say(t) { if (status) status.textContent = t; }
    async function run() {
      if (state !== 'idle') return;
      state = 'running';
      say(box.getAttribute('data-text-running'));
      try {
        var r = await fetch(box.getAttribute('data-pow'), { headers: { accept: 'application/json' }, credentials: 'same-origin' });
        var ch = await r.json();
        var t0 = Date.now();
        var number = await solve(ch);
        if (number < 0) throw new Error('unsolved');
        input.value = btoa(JSON.stringify({ algorithm: ch.algorithm, challenge: ch.challenge, number: number, salt: ch.salt, signature: ch.signature, took: Date.now() - t0 }));
        state = 'done';
        box.setAttribute('data-pow-done', '');
        say(box.getAttribute('data-text-done'));
        if (wantSubmit) form.requestSubmit();
      } catch {
        state = 'idle';
        say(box.getAttribute('data-text-error'));
      }
    }
    form.addEventListener('submit', function (ev) {
      if (state !== 'done') {
        ev.preventDefault();
        wantSubmit = true;
        run();
      }
    });
    if (!window.crypto || !crypto.subtle) { say(box.getAttribute('data-text-error')); return; }
    // Eager on the booking form; elsewhere start when the user begins to fill the form.
    if (box.hasAttribute('data-pow-eager')) run();
    else form.addEventListener('focusin', run, { once: true });
  }
  function init() { document.querySelectorAll('[data-pow]').forEach(setup); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
