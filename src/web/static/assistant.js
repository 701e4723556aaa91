// Assistant chat island: sends questions via the JSON API and appends the answer without a page
// reload. Without JavaScript the same form posts to /assistent and the page shows the conversation.
(function () {
  'use strict';
  var form = document.getElementById('assistant-form');
  var log = document.getElementById('assistant-log');
  if (!form || !log || !window.fetch) return;
  var isWidget = !!document.querySelector('[data-widget]');
  var lang = (form.querySelector('input[name="lang"]') || {}).value || 'de';
  var T = lang === 'en'
    ? { you: 'Your question', bot: 'AI assistant', refused: ' – no answer possible', crisis: ' – help in a crisis', wait: 'Looking for an answer …', sources: 'Sources (best first):', helpful: 'Was this answer helpful?', yes: 'Yes, helpful', no: 'No', thanks: 'Thank you for your feedback!', comment: 'Add a comment (optional)', commentLabel: 'Your comment (no personal data)', error: 'Sorry, that did not work. Please try again or contact the Bürgerbüro.', busy: 'Too many questions in a short time. Please wait a minute.', pii: 'We removed personal data from your question. Please do not enter personal data.' }
    : { you: 'Ihre Frage', bot: 'KI-Assistent', refused: ' – keine Antwort möglich', crisis: ' – Hilfe in einer Krise', wait: 'Antwort wird gesucht …', sources: 'Quellen (beste zuerst):', helpful: 'War diese Antwort hilfreich?', yes: 'Ja, hilfreich', no: 'Nein', thanks: 'Danke für Ihre Bewertung!', comment: 'Kommentar hinzufügen (optional)', commentLabel: 'Ihr Kommentar (ohne persönliche Daten)', error: 'Das hat leider nicht geklappt. Bitte versuchen Sie es erneut oder wenden Sie sich an das Bürgerbüro.', busy: 'Zu viele Fragen in kurzer Zeit. Bitte warten Sie eine Minute.', pii: 'Wir haben persönliche Daten aus Ihrer Frage entfernt. Bitte geben Sie keine persönlichen Daten ein.' };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function link(text, href) {
    var a = el('a', 'kern-link', text);
    a.href = href;
    if (isWidget) { a.target = '_blank'; a.rel = 'noopener'; }
    return a;
  }
  // Crisis answer: the phone numbers (Telefonseelsorge, Notruf 112) become tel: links.
  function textWithTel(parent, line) {
    var re = /\b(0800 111 0 111|0800 111 0 222|112)\b/g, last = 0, m;
    while ((m = re.exec(line))) {
      urlLinks(parent, line.slice(last, m.index));
      var a = el('a', 'kern-link', m[0]);
      a.href = 'tel:' + m[0].replace(/ /g, '');
      parent.appendChild(a);
      last = m.index + m[0].length;
    }
    urlLinks(parent, line.slice(last));
  }
  function textWithLinks(parent, line) {
    // "Label: URL" and "Label: Title – URL" lines get a readable link text.
    var lm = /^([^:]{2,60}): (?:(.+?) – )?(https?:\/\/\S+)$/.exec(line);
    if (lm) {
      if (lm[2]) parent.appendChild(document.createTextNode(lm[1] + ': '));
      parent.appendChild(link(lm[2] || lm[1], lm[3]));
      return;
    }
    urlLinks(parent, line);
  }
  function urlLinks(parent, line) {
    var re = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])/g, last = 0, m;
    while ((m = re.exec(line))) {
      parent.appendChild(document.createTextNode(line.slice(last, m.index)));
      var a = el('a', 'kern-link', m[0]);
      a.href = m[0];
      if (isWidget) { a.target = '_blank'; a.rel = 'noopener'; }
      parent.appendChild(a);
      last = m.index + m[0].length;
    }
    parent.appendChild(document.createTextNode(line.slice(last)));
  }
  function feedback(box, questionId) {
    var fs = el('div', 'lotse-chat__feedback');
    fs.setAttribute('role', 'group');
    var legendId = 'fb-' + questionId;
    var legend = el('p', 'kern-label', T.helpful);
    legend.id = legendId;
    fs.setAttribute('aria-labelledby', legendId);
    fs.appendChild(legend);
    var details = el('details', 'lotse-chat__comment');
    details.appendChild(el('summary', null, T.comment));
    var wrapC = el('div', 'kern-form-input');
    var lab = el('label', 'kern-label', T.commentLabel);
    lab.htmlFor = 'fbc-' + questionId;
    var ta = el('textarea', 'kern-form-input__input');
    ta.id = 'fbc-' + questionId;
    ta.rows = 2;
    ta.maxLength = 1000;
    wrapC.appendChild(lab);
    wrapC.appendChild(ta);
    details.appendChild(wrapC);
    var row = el('div', 'lotse-chat__feedback-row');
    [['up', T.yes], ['down', T.no]].forEach(function (r) {
      var b = el('button', 'kern-btn kern-btn--secondary kern-btn--small');
      b.type = 'button';
      b.appendChild(el('span', 'kern-label', r[1]));
      b.addEventListener('click', function () {
        fetch('/api/v1/assistant/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ questionId: questionId, rating: r[0], comment: ta.value.trim() || null }) })
          .then(function () { fs.textContent = ''; var p = el('p', 'kern-body', T.thanks); p.setAttribute('role', 'status'); fs.appendChild(p); });
      });
      row.appendChild(b);
    });
    fs.appendChild(row);
    fs.appendChild(details);
    box.appendChild(fs);
  }
  // In the widget iframe, Esc closes the host page's dialog (the key event stays in the frame).
  if (isWidget && window.parent !== window) {
    document.addEventListener('keydown', function (ev) {
      if (ev.key === 'Escape') window.parent.postMessage({ lotse: 'close' }, '*');
    });
  }
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var ta = form.querySelector('textarea[name="question"]');
    var question = ta.value.trim();
    if (!question) { ta.focus(); return; }
    var conv = form.querySelector('input[name="c"]');
    var easy = form.querySelector('input[name="easy"]');
    var empty = document.getElementById('assistant-empty');
    if (empty) empty.remove();
    var li = el('li', 'lotse-chat__turn');
    var q = el('div', 'lotse-chat__q');
    q.appendChild(el('span', 'lotse-chat__who', T.you));
    var qp = el('p', 'kern-body', question);
    q.appendChild(qp);
    var a = el('div', 'lotse-chat__a');
    a.appendChild(el('span', 'lotse-chat__who', T.bot));
    var wait = el('p', 'kern-body lotse-chat__busy', T.wait);
    a.appendChild(wait);
    li.appendChild(q);
    li.appendChild(a);
    log.appendChild(li);
    ta.value = '';
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    fetch('/api/v1/assistant/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ question: question, lang: lang, conversationId: conv.value || null, easy: !!(easy && easy.checked), channel: isWidget ? 'widget' : 'web' }),
    })
      .then(function (res) {
        if (res.status === 429) throw new Error('busy');
        if (!res.ok) throw new Error('http');
        return res.json();
      })
      .then(function (r) {
        conv.value = r.conversationId;
        wait.remove();
        qp.textContent = r.question || question;
        var isCrisis = r.refused && r.refusalReason === 'crisis';
        if (r.refused) { a.classList.add('lotse-chat__a--refused'); a.firstChild.textContent = T.bot + (isCrisis ? T.crisis : T.refused); }
        if (r.piiRemoved && r.piiRemoved.length) { var w = el('p', 'kern-body kern-body--bold', T.pii); a.appendChild(w); }
        var box = el('div', 'lotse-chat__text');
        // answerLines: German source text in an English answer comes with lang "de".
        (r.answerLines || r.answer.split('\n').map(function (t) { return [{ text: t }]; })).forEach(function (segs) {
          var p = el('p', 'kern-body');
          var put = isCrisis ? textWithTel : textWithLinks;
          if (segs.length === 1 && !segs[0].lang) put(p, segs[0].text);
          else segs.forEach(function (seg) { var span = el('span'); if (seg.lang) span.lang = seg.lang; put(span, seg.text); p.appendChild(span); });
          box.appendChild(p);
        });
        a.appendChild(box);
        if (r.sources && r.sources.length) {
          var s = el('div', 'lotse-chat__sources');
          s.appendChild(el('p', 'kern-body kern-body--bold', T.sources));
          var ol = el('ol');
          r.sources.forEach(function (src) {
            var item = el('li');
            var link = el('a', 'kern-link', src.title);
            if (lang === 'en') link.lang = 'de';
            link.href = '/leistungen/' + encodeURIComponent(src.serviceId);
            if (isWidget) { link.target = '_blank'; link.rel = 'noopener'; }
            item.appendChild(link);
            ol.appendChild(item);
          });
          s.appendChild(ol);
          a.appendChild(s);
        }
        if (r.questionId) feedback(a, r.questionId);
      })
      .catch(function (e) {
        wait.textContent = e && e.message === 'busy' ? T.busy : T.error;
        wait.setAttribute('role', 'alert');
      })
      .finally(function () {
        button.disabled = false;
        ta.focus();
      });
  });
})();
