// Progressive enhancement only: every page works without JavaScript.
// Sends the CSRF token with htmx requests (hx-headers on <body> does it too; this covers fetch islands).
window.lotseCsrf = () => document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
