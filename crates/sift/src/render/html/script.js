(function () {
  'use strict';
  // Builds every node with textContent: report strings never become markup.
  var LAYER_OF = { e: 'entities', q: 'quantities', f: 'findings', as: 'attributions', ac: 'attributions', ax: 'attributions', t: 'techniques', c: 'claims' };
  var PART = { as: 'source', ac: 'cue', ax: 'content' };
  var SOURCE_TYPE = { named_person: 'named person', named_org: 'named organisation', anonymous: 'anonymous', vague: 'vague', self: 'the outlet itself', document: 'a document or poll' };
  var KIND = { direct: 'direct quote', indirect: 'reported speech', mixed: 'mixed' };
  var cache = new WeakMap();

  function dataOf(article) {
    var d = cache.get(article);
    if (!d) {
      var el = article.querySelector('script.sift-data');
      var report = el ? JSON.parse(el.textContent) : {};
      d = { report: report, chars: null };
      cache.set(article, d);
    }
    return d;
  }
  function slice(d, start, end) {
    if (!d.chars) d.chars = Array.from(d.report.text || '');
    return d.chars.slice(start, end).join('');
  }
  function shorten(s, n) {
    s = String(s).replace(/\s+/g, ' ').trim();
    return s.length > n ? s.slice(0, n - 1) + '…' : s;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function row(parent, key, value) {
    if (value === undefined || value === null || value === '') return;
    var p = el('div');
    p.appendChild(el('span', 'd-key', key + ': '));
    p.appendChild(el('span', null, value));
    parent.appendChild(p);
  }
  function num(x) {
    if (typeof x !== 'number') return x;
    return Math.abs(x) >= 1e6 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : String(Math.round(x * 1000) / 1000);
  }
  function hidden(layer) { return document.body.classList.contains('hide-' + layer); }

  function describe(d, id) {
    var m = /^([a-z]+)(\d+)$/.exec(id);
    if (!m) return null;
    var prefix = m[1], i = +m[2], r = d.report, box = el('div', 'd-item');
    if (hidden(LAYER_OF[prefix])) return null;
    if (prefix === 'e' && r.entities && r.entities[i]) {
      var e = r.entities[i];
      box.appendChild(el('div', 'd-layer', 'entity · ' + e.kind));
      box.appendChild(el('b', null, e.text));
      if (e.canonical && e.canonical !== e.text) row(box, 'refers to', e.canonical);
      row(box, 'role', e.role);
    } else if (prefix === 'q' && r.quantities && r.quantities[i]) {
      var q = r.quantities[i];
      box.appendChild(el('div', 'd-layer', 'quantity · ' + q.dimension));
      box.appendChild(el('b', null, q.text));
      var v = num(q.value);
      if (q.low !== null && q.low !== undefined && q.high !== null && q.high !== undefined) v = num(q.low) + '–' + num(q.high);
      row(box, 'value', v + (q.unit ? ' ' + q.unit : ''));
      if (q.si_value !== null && q.si_value !== undefined) row(box, 'normalised', num(q.si_value) + ' ' + (q.si_unit || ''));
      if (q.approx) row(box, 'approximate', 'yes');
      row(box, 'bound', q.bound);
      row(box, 'date', q.date);
      row(box, 'weekday as written', q.weekday);
    } else if (prefix === 'f' && r.findings && r.findings[i]) {
      var f = r.findings[i];
      box.appendChild(el('div', 'd-layer', 'finding · ' + f.severity + ' · ' + f.code));
      box.appendChild(el('div', null, f.message));
      if (f.computation) box.appendChild(el('div', 'computation', f.computation));
    } else if (PART[prefix] && r.attributions && r.attributions[i]) {
      var a = r.attributions[i];
      box.appendChild(el('div', 'd-layer', 'attribution · ' + PART[prefix]));
      var src = a.source ? a.source.text : null;
      var via = a.speaker_via && a.speaker_via !== 'name' && a.speaker_via !== 'phrase' && src && src !== a.speaker;
      // "he → Michael Flynn (pronoun)": the words that pointed to the speaker, and how.
      row(box, 'speaker', via ? src + ' → ' + a.speaker + ' (' + a.speaker_via + ')'
                              : (a.speaker || src || '(none)'));
      if (typeof a.confidence === 'number') row(box, 'confidence', Math.round(a.confidence * 100) + '%');
      row(box, 'source type', SOURCE_TYPE[a.source_type] || a.source_type);
      row(box, 'role', a.role);
      row(box, 'kind', KIND[a.kind] || a.kind);
      if (a.cue) row(box, 'cue', a.cue.text);
      if (a.content) row(box, 'content', shorten(slice(d, a.content.start, a.content.end), 160));
    } else if (prefix === 't' && r.techniques && r.techniques[i]) {
      var t = r.techniques[i];
      box.appendChild(el('div', 'd-layer', 'technique'));
      box.appendChild(el('b', null, String(t.technique).replace(/_/g, ' ')));
      row(box, 'confidence', Math.round(t.confidence * 100) + '%');
      row(box, 'text', shorten(slice(d, t.start, t.end), 160));
    } else if (prefix === 'c' && r.claims && r.claims[i]) {
      var c = r.claims[i];
      box.appendChild(el('div', 'd-layer', 'check-worthy claim · ' + c.kind));
      row(box, 'score', Math.round(c.score * 100) + '%');
      row(box, 'speaker', c.speaker);
      if (c.features && c.features.length) row(box, 'why', c.features.join(', ').replace(/_/g, ' '));
      (c.matches || []).forEach(function (m) {
        var line = el('div', 'd-match');
        line.appendChild(el('b', null, m.rating || 'no verdict'));
        line.appendChild(el('span', null, ' ' + shorten(m.claim, 140) + ' '));
        if (m.url && /^https?:\/\//.test(m.url)) {
          var a = el('a', null, 'fact-check');
          a.href = m.url;
          a.rel = 'noopener noreferrer';
          a.target = '_blank';
          line.appendChild(a);
        }
        box.appendChild(line);
      });
    } else {
      return null;
    }
    return box;
  }

  function details(target) {
    var article = target.closest('.sift-report');
    if (!article) return null;
    var d = dataOf(article), out = el('div'), seen = {};
    target.getAttribute('data-s').split(' ').forEach(function (id) {
      // One entry per attribution even when source, cue and content overlap.
      var key = /^a[scx]\d+$/.test(id) ? 'a' + id.slice(2) : id;
      if (seen[key]) return;
      var node = describe(d, id);
      if (node) { seen[key] = true; out.appendChild(node); }
    });
    return out.childNodes.length ? out : null;
  }

  var tip = document.querySelector('.sift-tip');
  function placeTip(ev) {
    var x = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    var y = ev.clientY + 18;
    if (y + tip.offsetHeight > window.innerHeight - 8) y = ev.clientY - tip.offsetHeight - 12;
    tip.style.left = Math.max(4, x) + 'px';
    tip.style.top = Math.max(4, y) + 'px';
  }
  document.addEventListener('mouseover', function (ev) {
    if (!tip) return;
    var seg = ev.target.closest && ev.target.closest('.sift-text [data-s]');
    if (!seg) { tip.hidden = true; return; }
    var node = details(seg);
    if (!node) { tip.hidden = true; return; }
    tip.replaceChildren(node);
    tip.hidden = false;
    placeTip(ev);
  });
  document.addEventListener('mousemove', function (ev) { if (tip && !tip.hidden) placeTip(ev); });

  document.addEventListener('click', function (ev) {
    var seg = ev.target.closest && ev.target.closest('.sift-text [data-s]');
    if (seg) {
      var article = seg.closest('.sift-report');
      var body = article && article.querySelector('.details-body');
      if (body) {
        var node = details(seg) || el('div', 'muted', 'All layers here are switched off.');
        body.classList.remove('muted');
        body.replaceChildren(node);
      }
      return;
    }
    var btn = ev.target.closest && ev.target.closest('button.ev');
    if (btn) {
      var art = btn.closest('.sift-report');
      var id = btn.getAttribute('data-target');
      var hits = art ? art.querySelectorAll('.sift-text [data-s~="' + id + '"]') : [];
      var first = hits[0];
      if (first) {
        hits.forEach(function (h) { h.classList.remove('flash'); void h.offsetWidth; h.classList.add('flash'); });
        first.scrollIntoView({ block: 'center', behavior: 'smooth' });
        var body2 = art.querySelector('.details-body');
        if (body2) { var n = details(first); if (n) { body2.classList.remove('muted'); body2.replaceChildren(n); } }
      }
    }
  });

  document.addEventListener('change', function (ev) {
    var layer = ev.target.getAttribute && ev.target.getAttribute('data-layer');
    if (layer) document.body.classList.toggle('hide-' + layer, !ev.target.checked);
  });
  // A reload can keep checkbox state: apply it.
  document.querySelectorAll('input[data-layer]').forEach(function (box) {
    document.body.classList.toggle('hide-' + box.getAttribute('data-layer'), !box.checked);
  });
})();
