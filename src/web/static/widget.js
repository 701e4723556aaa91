// Lotse assistant widget for other websites. Embed with ONE tag:
//   <script src="https://<lotse>/static/app/widget.js" data-lotse-url="https://<lotse>" defer></script>
// Optional: data-lang="en", data-label="…". Renders a button; it opens a modal <dialog> with the
// assistant page (/assistent/widget) in an iframe. Native <dialog>: focus stays inside, Esc closes,
// focus returns to the button. Styles live in a shadow root, so the host page is not affected.
/* global CSSStyleSheet */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__lotseWidget) return;
  window.__lotseWidget = true;
  var base = (script.getAttribute('data-lotse-url') || new URL(script.src).origin).replace(/\/+$/, '');
  var pageLang = (document.documentElement.getAttribute('lang') || 'de').slice(0, 2);
  var lang = script.getAttribute('data-lang') === 'en' || (!script.getAttribute('data-lang') && pageLang === 'en') ? 'en' : 'de';
  var t = lang === 'en'
    ? { open: 'Ask the town (AI assistant)', title: 'AI assistant of the town', close: 'Close', frame: 'AI assistant: ask questions about the town’s services' }
    : { open: 'Fragen an die Stadt (KI-Assistent)', title: 'KI-Assistent der Stadt', close: 'Schließen', frame: 'KI-Assistent: Fragen zu Leistungen der Stadt' };
  var label = script.getAttribute('data-label') || t.open;

  var css =
    ':host{all:initial}' +
    '.btn{position:fixed;right:1rem;bottom:1rem;z-index:2147483000;font:600 1rem/1.2 system-ui,sans-serif;background:#0b5cad;color:#fff;border:2px solid #fff;border-radius:2rem;padding:.8rem 1.2rem;box-shadow:0 2px 8px rgba(0,0,0,.35);cursor:pointer}' +
    '.btn:hover{background:#094a8b}.btn:focus-visible,.close:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}' +
    'dialog{width:min(30rem,calc(100vw - 1rem));height:min(44rem,calc(100vh - 2rem));padding:0;border:1px solid #4a5361;border-radius:.5rem;box-shadow:0 4px 24px rgba(0,0,0,.4)}' +
    'dialog::backdrop{background:rgba(0,0,0,.35)}' +
    '.bar{display:flex;align-items:center;justify-content:space-between;gap:.5rem;padding:.5rem .75rem;background:#0b5cad;color:#fff;font:600 1rem/1.2 system-ui,sans-serif}' +
    '.bar h2{font:inherit;margin:0}' +
    '.close{font:600 1rem system-ui,sans-serif;background:#fff;color:#0b5cad;border:0;border-radius:.25rem;padding:.35rem .7rem;cursor:pointer}' +
    '.wrap{display:flex;flex-direction:column;height:100%}iframe{flex:1;width:100%;border:0}';

  var host = document.createElement('div');
  host.setAttribute('data-lotse-widget', '');
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    var st = document.createElement('style');
    st.textContent = css;
    root.appendChild(st);
  }

  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'btn';
  button.textContent = label;
  button.setAttribute('aria-haspopup', 'dialog');
  button.setAttribute('aria-expanded', 'false');

  var dialog = document.createElement('dialog');
  dialog.setAttribute('aria-labelledby', 'lotse-widget-title');
  dialog.setAttribute('lang', lang);
  var wrap = document.createElement('div');
  wrap.className = 'wrap';
  var bar = document.createElement('div');
  bar.className = 'bar';
  var h = document.createElement('h2');
  h.id = 'lotse-widget-title';
  h.textContent = t.title;
  var close = document.createElement('button');
  close.type = 'button';
  close.className = 'close';
  close.textContent = t.close;
  bar.appendChild(h);
  bar.appendChild(close);
  wrap.appendChild(bar);
  dialog.appendChild(wrap);
  var frame = null;

  button.addEventListener('click', function () {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.title = t.frame;
      frame.src = base + '/assistent/widget?lang=' + lang;
      frame.setAttribute('referrerpolicy', 'no-referrer');
      wrap.appendChild(frame);
    }
    if (dialog.showModal) dialog.showModal();
    else dialog.setAttribute('open', '');
    button.setAttribute('aria-expanded', 'true');
    close.focus();
  });
  close.addEventListener('click', function () {
    if (dialog.close) dialog.close();
    else dialog.removeAttribute('open');
  });
  // Esc pressed inside the iframe: the assistant page asks us to close.
  window.addEventListener('message', function (ev) {
    if (ev.origin === new URL(base).origin && ev.data && ev.data.lotse === 'close' && dialog.open) dialog.close();
  });
  dialog.addEventListener('close', function () {
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  });

  root.appendChild(button);
  root.appendChild(dialog);
  function mount() {
    document.body.appendChild(host);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
