// Waiting-room display: reloads the ticket board every 10 seconds (no personal data on it).
(function () {
  'use strict';
  setTimeout(function () { window.location.reload(); }, 10000);
})();
