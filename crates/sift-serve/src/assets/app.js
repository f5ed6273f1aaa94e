(function () {
  'use strict';
  // The server renders the annotated view (escaped) and this script inserts it.
  var form = document.querySelector('.sift-form');
  var results = document.querySelector('.results');
  var status = form.querySelector('.status');
  var button = form.querySelector('button[type=submit]');

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle('error', !!isError);
  }

  // Files go as raw bytes, so the server decodes any encoding (cp1251, koi8-r,
  // a charset in an HTML meta) exactly as `sift analyze` does for files.
  function readFile(file) {
    return file.arrayBuffer().then(function (buffer) {
      var bytes = new Uint8Array(buffer), binary = '';
      for (var i = 0; i < bytes.length; i += 0x8000) {
        binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      }
      return { id: file.name, file_base64: btoa(binary) };
    });
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = form.elements.text.value;
    var files = Array.prototype.slice.call(form.elements.files.files || []);
    Promise.all(files.map(readFile)).then(function (docs) {
      if (text.trim()) docs.unshift({ text: text, id: 'pasted text' });
      if (!docs.length) { say('Paste some text or choose a file first.', true); return null; }
      var headers = { 'Content-Type': 'application/json' };
      var token = form.elements.token && form.elements.token.value;
      if (token) headers.Authorization = 'Bearer ' + token;
      button.disabled = true;
      say('Analysing ' + docs.length + (docs.length > 1 ? ' documents…' : ' document…'));
      return fetch('/api/view', {
        method: 'POST',
        headers: headers,
        body: JSON.stringify({ documents: docs, lang: form.elements.lang.value })
      }).then(function (resp) {
        return resp.json().then(function (data) {
          if (!resp.ok) throw new Error((data.error && data.error.message) || resp.statusText);
          results.innerHTML = data.html;
          var msg = 'Analysed ' + data.analysed + ' of ' + docs.length + ' in ' + Math.round(data.elapsed_ms) + ' ms.';
          data.errors.forEach(function (e) { msg += ' ' + (e.id || '#' + e.index) + ': ' + e.message + '.'; });
          say(msg, data.errors.length > 0);
          document.body.classList.add('has-results');
          var first = results.querySelector('.sift-report');
          if (first) first.scrollIntoView({ block: 'start' });
        });
      });
    }).catch(function (err) {
      say('Error: ' + err.message, true);
    }).then(function () { button.disabled = false; });
  });
})();
