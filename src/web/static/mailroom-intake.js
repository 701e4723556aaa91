// Mailroom upload: drag & drop onto the drop zone fills the normal file input (the form works without JS).
(function () {
  'use strict';
  document.querySelectorAll('[data-dropzone]').forEach(function (zone) {
    var input = zone.querySelector('input[type=file]');
    var count = zone.querySelector('[data-dropzone-count]');
    if (!input) return;
    function show() {
      if (count) count.textContent = input.files && input.files.length ? input.files.length + (input.files.length === 1 ? ' Datei ausgewählt' : ' Dateien ausgewählt') : '';
    }
    input.addEventListener('change', show);
    zone.addEventListener('dragover', function (e) {
      e.preventDefault();
      zone.classList.add('lotse-dropzone--over');
    });
    zone.addEventListener('dragleave', function () {
      zone.classList.remove('lotse-dropzone--over');
    });
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      zone.classList.remove('lotse-dropzone--over');
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      try {
        input.files = e.dataTransfer.files;
      } catch {
        return;
      }
      show();
    });
  });
})();
