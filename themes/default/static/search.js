/* newsprint search page: plain JavaScript, no framework, no request
 * outside this site.  Reads the static index written by `newsprint build`
 * (formats: src/search/search.h and src/search/postings.c):
 *   search/meta.json          document count, shard count, chunk size, segments
 *   search/dates.json         date range of each docs/ chunk (date filter only)
 *   search/shards/XXX.bin     token -> postings, only the shards a query needs
 *   search/hot/XXXXXXXX.bin   one frequent token's postings (meta.hot lists them)
 *   search/tail/...           the same for the tail segment (meta.tail), the
 *                             newest documents; a token's postings are the
 *                             base's and the tail's together
 *   search/docs/XXXX.json     title, url, date, regions of 64 articles
 *   search/facets.json        filter choices (loaded when the filters open)
 * and the article pages of the results it shows, to check the query
 * against their text and cut the snippet.
 * Tokens must match src/search/tokenize.c: Han bigrams, single Han
 * characters (headings only), lowercased letter/digit runs, Han dictionary
 * words of three or more characters (headings only; used for ranking). */
(function () {
  'use strict';

  var PAGE = 10;          /* results per page */
  var VERIFY_ALL = 20;    /* candidates checked against their page up front */
  var SNIPPET = 50;       /* characters of context each side of a hit */

  var box = document.getElementById('search');
  if (!box || !window.fetch || !window.TextEncoder) return;
  var root = box.getAttribute('data-root') || '../';
  var base = box.getAttribute('data-index') || './';
  var $ = function (id) { return document.getElementById(id); };
  var form = $('search-form'), input = $('q'), statusEl = $('search-status');
  var list = $('search-results'), pager = $('search-pager');
  var utf8 = new TextEncoder(), baseTitle = document.title;
  var HAN = /\p{Script=Han}/u, ALNUM = /[\p{L}\p{Nd}]/u;

  /* ---- tokens (as tokenize.c) ---------------------------------------- */

  function isHan(ch) { return ch.codePointAt(0) >= 0x2E80 && HAN.test(ch); }
  function isAlnum(ch) { return ALNUM.test(ch) && !isHan(ch); }

  /* Tokens a document must hold to contain term t (lowercase): of a Han
   * run the bigrams at 0, 2, 4, ... and the last one, which cover every
   * character (the page text decides the rest); letter/digit runs whole. */
  function termTokens(t) {
    var cs = Array.from(t), out = [], hanOnly = cs.length === 1 && isHan(cs[0]);
    if (hanOnly) return [t];
    for (var i = 0; i < cs.length;) {
      if (isHan(cs[i])) {
        var e = i;
        while (e < cs.length && isHan(cs[e])) e++;
        for (var k = i; k + 1 < e; k += 2) out.push(cs[k] + cs[k + 1]);
        if (e - i >= 3 && (e - i) % 2 === 1) out.push(cs[e - 2] + cs[e - 1]);
        i = e;
      } else if (isAlnum(cs[i])) {
        var j = i;
        while (j < cs.length && isAlnum(cs[j])) j++;
        var w = cs.slice(i, j).join('');
        if (utf8.encode(w).length <= 64) out.push(w);
        i = j;
      } else i++;
    }
    return out.filter(function (x, k) { return out.indexOf(x) === k; });
  }

  /* Terms of a query: "quoted phrases" (straight or curly quotes) and
   * space-separated words; NFKC and lowercase as the index. */
  function parseQuery(q) {
    var re = /"([^"]+)"|“([^”]+)”|(\S+)/g, m, terms = [];
    q = q.normalize('NFKC');
    while ((m = re.exec(q))) {
      var text = (m[1] || m[2] || m[3]).trim();
      if (!text) continue;
      var low = text.toLowerCase(), cs = Array.from(low);
      terms.push({
        text: text, low: low, tokens: termTokens(low),
        word: cs.length >= 3 && cs.every(isHan) ? low : null
      });
    }
    return terms;
  }

  function fnv32(s) {
    var b = utf8.encode(s), h = 0x811c9dc5;
    for (var i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 16777619) >>> 0;
    return h;
  }
  /* The file holding tok in one segment (meta.json itself for the base,
   * meta.tail for the tail, whose files are under tail/): its own hot/
   * file when the segment lists it, else its shard: FNV-1a 32 of the
   * UTF-8 bytes, a token of three or more Han characters by its first two
   * (as np_search_shard_of). */
  function segFile(seg, dir, tok) {
    if (!seg.hotSet) seg.hotSet = new Set(seg.hot || []);
    if (seg.hotSet.has(tok)) return dir + 'hot/' + hex(fnv32(tok), 8) + '.bin';
    var cs = Array.from(tok);
    if (cs.length >= 3 && isHan(cs[0]) && isHan(cs[1]) && isHan(cs[2])) tok = cs[0] + cs[1];
    return dir + 'shards/' + hex(fnv32(tok) & (seg.shards - 1), 3) + '.bin';
  }
  /* The files holding tok: the base's, then the tail's when there is one
   * (documents [meta.base, meta.docs)). */
  function filesOf(meta, tok) {
    var out = [segFile(meta, '', tok)];
    if (meta.tail) out.push(segFile(meta.tail, 'tail/', tok));
    return out;
  }

  /* ---- fetching -------------------------------------------------------- */

  var cache = {};
  function get(path, kind, from) {
    var url = (from === undefined ? base : from) + path;
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (r.status === 404) return null;
        if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
        return kind === 'bin' ? r.arrayBuffer() : kind === 'text' ? r.text() : r.json();
      });
    }
    return cache[url];
  }
  function hex(n, w) { var s = n.toString(16); while (s.length < w) s = '0' + s; return s; }
  function docsChunk(k) { return get('docs/' + hex(k, 4) + '.json', 'json'); }

  /* ---- shard decoding (postings.c) -------------------------------------- */

  function varint(b, pos) {
    var v = 0, mul = 1, c;
    do { c = b[pos.i++]; v += (c & 0x7f) * mul; mul *= 128; } while (c & 0x80);
    return v;
  }

  /* Postings of tok as a Map doc -> flags (bit 2 heading, bits 0-1 tf). */
  function lookup(buf, tok) {
    var b = new Uint8Array(buf || new ArrayBuffer(0)), want = utf8.encode(tok);
    var pos = { i: 4 }, out = new Map();
    while (pos.i < b.length) {
      var tl = varint(b, pos), at = pos.i, same = tl === want.length;
      for (var k = 0; same && k < tl; k++) same = b[at + k] === want[k];
      pos.i += tl;
      varint(b, pos);
      var kind = b[pos.i++], pl = varint(b, pos), start = pos.i;
      pos.i += pl;
      if (!same) continue;
      if (kind === 0) readList(b, start, start + pl, out);
      else if (kind === 1) readBitmap(b, start, out);
      else readAbsent(b, start, out);
      break;
    }
    return out;
  }
  function readList(b, i, end, out) {
    var pos = { i: i }, doc = -1;
    while (pos.i < end) {
      var v = varint(b, pos);
      doc += Math.floor(v / 8) + 1;
      out.set(doc, v & 7);
    }
  }
  function readHeads(b, pos, out) {
    var nh = varint(b, pos), doc = -1;
    for (var k = 0; k < nh; k++) { doc += varint(b, pos) + 1; out.set(doc, 4); }
  }
  function readBitmap(b, i, out) {
    var pos = { i: i }, nb = varint(b, pos), at = pos.i;
    for (var d = 0; d < nb * 8; d++) if (b[at + (d >> 3)] & (1 << (d & 7))) out.set(d, 0);
    pos.i = at + nb;
    readHeads(b, pos, out);
  }
  /* Every document in [0, R) but the listed ones. */
  function readAbsent(b, i, out) {
    var pos = { i: i }, r = varint(b, pos), na = varint(b, pos), gone = -1, doc = 0;
    for (var k = 0; k <= na; k++) {
      var upto = k < na ? gone + varint(b, pos) + 1 : r;
      for (; doc < upto; doc++) out.set(doc, 0);
      gone = upto; doc = upto + 1;
    }
    readHeads(b, pos, out);
  }

  /* ---- matching and ranking --------------------------------------------- */

  function intersect(maps) {
    maps.sort(function (a, b) { return a.size - b.size; });
    var out = new Map();
    (maps[0] || new Map()).forEach(function (f, d) {
      var head = f & 4, tf = f & 3;
      for (var k = 1; k < maps.length; k++) {
        var g = maps[k].get(d);
        if (g === undefined) return;
        head &= g & 4; tf = Math.min(tf, g & 3);
      }
      out.set(d, { head: head ? 1 : 0, tf: tf + 1 });
    });
    return out;
  }

  /* Candidates: documents holding every token of every term and filter,
   * ranked by terms in a heading, then density (tf bucket, +1 where the
   * term is a dictionary word), then recency (later documents first). */
  function candidates(meta, terms, filters, shards) {
    function posts(tok) {
      var m = new Map();
      filesOf(meta, tok).forEach(function (f) {
        lookup(shards[f], tok).forEach(function (v, d) { m.set(d, v); });
      });
      return m;
    }
    var score = null;
    terms.forEach(function (t) {
      if (!t.tokens.length) return; /* punctuation only: left to verify() */
      var m = intersect(t.tokens.map(posts)), words = t.word ? posts(t.word) : null;
      if (!score) {
        score = new Map();
        m.forEach(function (v, d) { score.set(d, { doc: d, head: 0, tf: 0 }); });
      }
      score.forEach(function (s, d) {
        var v = m.get(d);
        if (!v) { score.delete(d); return; }
        s.head += v.head; s.tf += v.tf + (words && words.has(d) ? 1 : 0);
      });
    });
    filters.forEach(function (tok) {
      var m = posts(tok);
      score.forEach(function (s, d) { if (!m.has(d)) score.delete(d); });
    });
    return Array.from(score.values()).sort(function (a, b) {
      return b.head - a.head || b.tf - a.tf || b.doc - a.doc;
    });
  }

  /* Date filter: whole chunks by their [min, max] dates; documents of a
   * boundary chunk by their own date (docs/ file). */
  async function byDate(meta, list, from, to) {
    if (!from && !to) return list;
    var lo = from || '0000-00-00', hi = to || '9999-99-99', out = [];
    var ranges = await get('dates.json', 'json');
    for (var i = 0; i < list.length; i++) {
      var k = Math.floor(list[i].doc / meta.chunk), r = ranges[k];
      if (!r[0] || r[1] < lo || r[0] > hi) continue;
      if (r[0] >= lo && r[1] <= hi) { out.push(list[i]); continue; }
      var d = (await docsChunk(k))[list[i].doc % meta.chunk][2];
      if (d && d >= lo && d <= hi) out.push(list[i]);
    }
    return out;
  }

  /* The searchable text of an article, from its page: {all, body}, one
   * line per heading, paragraph or list item (no match across them). */
  var texts = new Map();
  async function textOf(meta, doc) {
    if (texts.has(doc)) return texts.get(doc);
    var d = (await docsChunk(Math.floor(doc / meta.chunk)))[doc % meta.chunk];
    var html = await get(d[1] || 'index.html', 'text', root);
    var page = new DOMParser().parseFromString(html || '', 'text/html');
    var art = page.querySelector('article') || page.querySelector('main') || page.body;
    var lines = function (el) {
      return Array.from(el.querySelectorAll('h1,h2,p,li')).map(function (e) {
        return e.textContent.replace(/\s+/g, ' ').trim();
      }).join('\n');
    };
    var body = art.querySelector('.body');
    var t = { all: lines(art), body: body ? lines(body) : lines(art) };
    texts.set(doc, t);
    return t;
  }
  function holds(text, terms) {
    var low = text.all.toLowerCase();
    return terms.every(function (t) { return low.indexOf(t.low) >= 0; });
  }

  /* Checks candidates against their pages, in rank order, until `need`
   * pass; all of them when there are at most VERIFY_ALL.  Returns {hits,
   * rest (unchecked), exact}. */
  async function verify(meta, list, terms, need) {
    var all = list.length <= VERIFY_ALL, hits = [], i = 0;
    while (i < list.length && (all || hits.length < need)) {
      var batch = list.slice(i, i + (all ? VERIFY_ALL : need - hits.length));
      var ts = await Promise.all(batch.map(function (c) { return textOf(meta, c.doc); }));
      ts.forEach(function (t, k) { if (holds(t, terms)) hits.push(batch[k]); });
      i += batch.length;
    }
    return { hits: hits, rest: list.length - i, exact: i === list.length };
  }

  /* ---- rendering -------------------------------------------------------- */

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /* Appends s to parent with every occurrence of a term in <mark>. */
  function highlight(parent, s, terms) {
    var low = s.toLowerCase(), i = 0;
    while (i < s.length) {
      var best = -1, len = 0;
      terms.forEach(function (t) {
        var k = low.indexOf(t.low, i);
        if (k >= 0 && (best < 0 || k < best)) { best = k; len = t.low.length; }
      });
      if (best < 0) { parent.appendChild(document.createTextNode(s.slice(i))); break; }
      if (best > i) parent.appendChild(document.createTextNode(s.slice(i, best)));
      parent.appendChild(el('mark', '', s.slice(best, best + len)));
      i = best + len;
    }
  }

  /* The body around the first hit. */
  function snippet(text, terms) {
    var body = text.body.replace(/\n/g, ' '), low = body.toLowerCase(), at = -1;
    terms.forEach(function (t) {
      var k = low.indexOf(t.low);
      if (k >= 0 && (at < 0 || k < at)) at = k;
    });
    if (at < 0) return body.slice(0, 2 * SNIPPET) + (body.length > 2 * SNIPPET ? '…' : '');
    var a = Math.max(0, at - SNIPPET), e = Math.min(body.length, at + SNIPPET * 2);
    return (a > 0 ? '…' : '') + body.slice(a, e) + (e < body.length ? '…' : '');
  }

  function regionNames(paths) {
    return paths.map(function (p) { var s = p.split('/'); return s[s.length - 1]; }).join('、');
  }

  async function renderHit(meta, hit, terms) {
    var k = Math.floor(hit.doc / meta.chunk);
    var d = (await docsChunk(k))[hit.doc % meta.chunk];
    var text = await textOf(meta, hit.doc);
    var li = el('li', 'search-hit'), a = el('a', 'hit-title');
    a.href = root + d[1];
    highlight(a, d[0], terms);
    li.appendChild(a);
    var m = el('p', 'meta');
    if (d[2]) { var tm = el('time', '', d[2]); tm.dateTime = d[2]; m.appendChild(tm); }
    if (d[3].length) m.appendChild(document.createTextNode((d[2] ? ' · ' : '') + regionNames(d[3])));
    li.appendChild(m);
    var sn = el('p', 'snippet');
    highlight(sn, snippet(text, terms), terms);
    li.appendChild(sn);
    return li;
  }

  function say(msg) { statusEl.textContent = msg; }

  function pageLink(params, page, label) {
    var p = new URLSearchParams(params);
    if (page > 1) p.set('page', page); else p.delete('page');
    var a = el('a', '', label);
    a.href = '?' + p.toString();
    a.addEventListener('click', function (ev) { ev.preventDefault(); go(p); });
    return a;
  }

  /* ---- the search ------------------------------------------------------- */

  function readParams() {
    var p = new URLSearchParams(location.search);
    return {
      q: (p.get('q') || '').trim(), region: p.get('region') || '', event: p.get('event') || '',
      from: p.get('from') || '', to: p.get('to') || '',
      page: Math.max(1, parseInt(p.get('page') || '1', 10) || 1), raw: p
    };
  }

  async function run() {
    var o = readParams();
    input.value = o.q; $('from').value = o.from; $('to').value = o.to;
    setSelect($('region'), o.region); setSelect($('event'), o.event);
    if (o.region || o.event || o.from || o.to) { $('search-filters').open = true; loadFacets(o); }
    list.textContent = ''; pager.textContent = '';
    document.title = o.q ? o.q + ' · ' + baseTitle : baseTitle;
    if (location.protocol === 'file:') {
      say('浏览器不允许在 file:// 下读取检索索引：请通过网站服务器打开本页（例如在输出目录运行 python3 -m http.server）。');
      return;
    }
    if (!o.q) { say(''); return; }
    var terms = parseQuery(o.q);
    if (!terms.length || terms.every(function (t) { return !t.tokens.length; })) {
      say('请输入要检索的字词。'); return;
    }
    say('检索中…');
    var meta = await get('meta.json', 'json');
    var filters = [];
    if (o.region) filters.push('r:' + o.region);
    if (o.event) filters.push('e:' + o.event);
    var toks = [];
    terms.forEach(function (t) { toks = toks.concat(t.tokens); });
    var ids = [];
    toks.concat(filters).forEach(function (t) { ids = ids.concat(filesOf(meta, t)); });
    ids = Array.from(new Set(ids));
    /* a dictionary word ranks higher only when its files come anyway */
    terms.forEach(function (t) {
      if (t.word && filesOf(meta, t.word).some(function (f) { return ids.indexOf(f) < 0; })) t.word = null;
    });
    var bufs = await Promise.all(ids.map(function (f) { return get(f, 'bin'); }));
    var shards = {};
    ids.forEach(function (s, i) { shards[s] = bufs[i]; });
    var cands = await byDate(meta, candidates(meta, terms, filters, shards), o.from, o.to);
    var v = await verify(meta, cands, terms, o.page * PAGE + 1);
    await show(meta, v, terms, o);
  }

  async function show(meta, v, terms, o) {
    var q = terms.map(function (t) { return t.text; }).join(' ');
    if (!v.hits.length && v.exact) {
      say('没有找到包含“' + q + '”的文章' + (o.region || o.event || o.from || o.to ? '（已按筛选条件缩小范围）' : '') + '。');
      return;
    }
    var total = v.exact ? v.hits.length : v.hits.length + v.rest;
    var first = (o.page - 1) * PAGE, shown = v.hits.slice(first, first + PAGE);
    say((v.exact ? '找到 ' : '约 ') + total + ' 篇文章' +
        (total > PAGE ? '，第 ' + (first + 1) + '–' + (first + shown.length) + ' 篇' : '') + '。');
    for (var i = 0; i < shown.length; i++) list.appendChild(await renderHit(meta, shown[i], terms));
    list.start = first + 1;
    if (o.page > 1) pager.appendChild(pageLink(o.raw, o.page - 1, '← 上一页'));
    if (v.hits.length > first + PAGE || !v.exact) pager.appendChild(pageLink(o.raw, o.page + 1, '下一页 →'));
  }

  /* ---- filters and keyboard --------------------------------------------- */

  function setSelect(sel, value) {
    if (value && !Array.prototype.some.call(sel.options, function (x) { return x.value === value; }))
      sel.appendChild(new Option(value.split('/').pop(), value));
    sel.value = value;
  }

  var facetsLoaded = false;
  async function loadFacets(o) {
    if (facetsLoaded) return;
    facetsLoaded = true;
    var f = await get('facets.json', 'json');
    if (!f) return;
    var reg = $('region'), ev = $('event');
    f.regions.forEach(function (r) {
      var depth = r[0].split('/').length - 1;
      if (!Array.prototype.some.call(reg.options, function (x) { return x.value === r[0]; }))
        reg.appendChild(new Option('\u3000'.repeat(depth) + r[0].split('/').pop() + '（' + r[1] + '）', r[0]));
    });
    f.events.forEach(function (e) {
      if (!Array.prototype.some.call(ev.options, function (x) { return x.value === e[0]; }))
        ev.appendChild(new Option(e[0] + '（' + e[1] + '）', e[0]));
    });
    o = o || readParams();
    reg.value = o.region; ev.value = o.event;
  }

  function go(params) {
    history.pushState(null, '', '?' + params.toString());
    run().catch(fail);
  }

  function fail(err) {
    say('检索出错：' + (err && err.message ? err.message : err) +
        (location.protocol === 'file:' ? '（file:// 下浏览器禁止读取索引）' : ''));
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var p = new URLSearchParams();
    ['q', 'region', 'event', 'from', 'to'].forEach(function (n) {
      var v = form.elements[n].value.trim();
      if (v) p.set(n, v);
    });
    go(p);
  });
  $('search-filters').addEventListener('toggle', function () { loadFacets().catch(fail); });
  document.addEventListener('keydown', function (ev) {
    var t = ev.target.tagName;
    if (ev.key === '/' && t !== 'INPUT' && t !== 'SELECT' && t !== 'TEXTAREA') {
      ev.preventDefault(); input.focus(); input.select();
    }
  });
  window.addEventListener('popstate', function () { run().catch(fail); });
  run().then(function () { if (!input.value) input.focus(); }).catch(fail);
})();
