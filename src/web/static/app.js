// Progressive enhancement only: every page works without JavaScript.
// Sends the CSRF token with htmx requests (hx-headers on <body> does it too; this covers fetch islands).
window.lotseCsrf = () => document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';

// Mobile navigation: collapsed behind a "Menü" button when JavaScript runs (without JS the list stays open).
document.addEventListener('DOMContentLoaded', () => {
  const toggle = document.querySelector('.lotse-nav__toggle');
  const list = document.getElementById('lotse-nav-list');
  if (!toggle || !list) return;
  toggle.hidden = false;
  document.documentElement.classList.add('lotse-js');
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') === 'true';
    toggle.setAttribute('aria-expanded', String(!open));
    list.classList.toggle('lotse-nav__list--open', !open);
  });
});
