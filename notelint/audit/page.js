(function () {
  "use strict";
  // The long parts of the audit page, rendered a page at a time from the compressed data
  // (notelint/audit/pagedata.py): the notes table, the wanted notes, orphans and dead ends,
  // the video strips. Note text is only ever set with textContent.
  var SVGNS = "http://www.w3.org/2000/svg";
  var HEAT = ["#e6e9ee", "#a7e8dc", "#4fc3b0", "#14917f", "#0b5d52"];
  var COVERAGE = ["#d1242f", "#dc4a2e", "#e06c2c", "#e48b2a", "#e0a526", "#cdb42a",
    "#a7b836", "#7cb342", "#52a852", "#2f9a5c", "#1a7f4b"];
  var D, NOTE = {}, VIDEO = {}, WANTED = {};

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function svgEl(tag, attrs, parent) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(e);
    return e;
  }
  function fmtInt(n) { return Number(n).toLocaleString("en-US"); }
  function pct(f, digits) { return f === null || f === undefined ? "–" : (f * 100).toFixed(digits) + "%"; }
  function clock(s) {
    if (s === null || s === undefined) return "–";
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    var mm = (h && m < 10 ? "0" : "") + m, ss = (sec < 10 ? "0" : "") + sec;
    return (h ? h + ":" : "") + mm + ":" + ss;
  }
  function plural(n, word) { return fmtInt(n) + " " + word + (n === 1 ? "" : "s"); }
  function noteName(path) { var name = path.split("/").pop(); return name.slice(-3) === ".md" ? name.slice(0, -3) : name; }
  function note(i) { return D.notes[i]; }
  function title(i) { var n = note(i); return n[NOTE.title] || noteName(n[NOTE.path]); }
  function videoUrl(id) { return /^[A-Za-z0-9_-]{11}$/.test(id || "") ? "https://www.youtube.com/watch?v=" + id : null; }

  function load() {
    var text = document.getElementById("audit-data").textContent.trim();
    var bin = atob(text), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).json();
  }

  // -- a pager: "‹ Previous  rows 1–100 of 8,693  Next ›" ----------------------------------
  function Pager(box, size, draw) {
    this.box = box; this.size = size; this.draw = draw; this.page = 0; this.total = 0;
  }
  Pager.prototype.show = function (total, page) {
    this.total = total;
    var pages = Math.max(1, Math.ceil(total / this.size));
    this.page = Math.min(Math.max(0, page || 0), pages - 1);
    var start = this.page * this.size, end = Math.min(total, start + this.size);
    this.draw(start, end);
    this.box.textContent = "";
    if (pages < 2) return;
    var self = this;
    var prev = el("button", "prev", "‹ Previous"), next = el("button", "next", "Next ›");
    prev.type = next.type = "button";
    prev.disabled = this.page === 0;
    next.disabled = this.page === pages - 1;
    prev.addEventListener("click", function () { self.show(total, self.page - 1); self.box.scrollIntoView({block: "nearest"}); });
    next.addEventListener("click", function () { self.show(total, self.page + 1); self.box.scrollIntoView({block: "nearest"}); });
    this.box.appendChild(prev);
    this.box.appendChild(el("span", "where", "rows " + fmtInt(start + 1) + "–" + fmtInt(end) + " of " + fmtInt(total) +
      " · page " + (this.page + 1) + " of " + pages));
    this.box.appendChild(next);
  };
  function pagedIn(host, size, draw) {
    var body = el("div", "pagebody"), bar = el("div", "pager");
    host.appendChild(body);
    host.appendChild(bar);
    return {body: body, pager: new Pager(bar, size, function (a, b) { body.textContent = ""; draw(body, a, b); })};
  }

  // -- links to notes -----------------------------------------------------------------------
  function noteLink(ref) {
    if (typeof ref !== "number") { var s = el("span", null, noteName(ref)); s.title = ref; return s; }
    var a = el("a", null, title(ref));
    a.href = "#n" + ref;
    a.dataset.note = "1";
    a.title = note(ref)[NOTE.path];
    return a;
  }

  // -- the notes table ----------------------------------------------------------------------
  var table, tbody, search, filter, count, pager, order = [], shown = [];
  var tests = {
    all: function () { return true; },
    errors: function (n) { return n[NOTE.errors] > 0; },
    uncited: function (n) { return n[NOTE.claims] - n[NOTE.cited] > 0; },
    low: function (n) { return n[NOTE.coverage] !== null && n[NOTE.coverage] < 0.8; },
    orphan: function (n) { return n[NOTE.orphan] === 1; },
    deadend: function (n) { return n[NOTE.dead_end] === 1; },
    unresolved: function (n) { return n[NOTE.unresolved] > 0; }
  };

  function numCell(v) {
    var td = el("td", "n" + (v ? "" : " zero"), fmtInt(v));
    td.dataset.v = v;
    return td;
  }
  function coverageCell(cov) {
    var td = el("td", "n");
    td.dataset.v = cov === null ? "" : cov;
    if (cov === null) { td.appendChild(el("span", "zero", "no claims")); return td; }
    var svg = svgEl("svg", {"class": "mini", viewBox: "0 0 64 8", width: 64, height: 8, "aria-hidden": "true"}, td);
    svgEl("rect", {"class": "track", width: 64, height: 8, rx: 4, fill: HEAT[0]}, svg);
    svgEl("rect", {width: Math.max(64 * cov, cov ? 4 : 0).toFixed(1), height: 8, rx: 4,
      fill: COVERAGE[Math.min(10, Math.floor(cov * 10 + 1e-9))]}, svg);
    td.appendChild(document.createTextNode(pct(cov, 0)));
    return td;
  }
  function noteRow(i) {
    var n = note(i), tr = el("tr", "note");
    tr.id = "n" + i; tr.dataset.i = i; tr.tabIndex = 0;
    tr.setAttribute("aria-expanded", "false");
    var first = el("td", "brk");
    first.dataset.v = title(i).toLowerCase();
    first.appendChild(el("div", "title", title(i)));
    first.appendChild(el("div", "path mono", n[NOTE.path]));
    tr.appendChild(first);
    var video = el("td", "mono nw", n[NOTE.video] || "–");
    video.dataset.v = n[NOTE.video] || "";
    tr.appendChild(video);
    tr.appendChild(numCell(n[NOTE.claims]));
    tr.appendChild(coverageCell(n[NOTE.coverage]));
    ["citations", "errors", "others", "links_in", "links_out", "unresolved"].forEach(function (k) {
      tr.appendChild(numCell(n[NOTE[k]]));
    });
    var flags = el("td");
    if (n[NOTE.orphan]) flags.appendChild(el("span", "badge orphan", "orphan"));
    if (n[NOTE.dead_end]) flags.appendChild(el("span", "badge dead", "dead end"));
    tr.appendChild(flags);
    return tr;
  }
  function openDetail(row) {
    var i = Number(row.dataset.i), n = note(i);
    var tr = el("tr", "detail"), td = el("td");
    td.colSpan = row.cells.length;
    td.appendChild(el("div", "path", n[NOTE.path] + (n[NOTE.video] ? "  ·  video " + n[NOTE.video] : "")));
    var F = D.findings, first = F.starts[i], last = first + F.counts[i];
    if (first === last) td.appendChild(el("p", "empty", "No findings."));
    else {
      var ul = el("ul", "findings");
      for (var k = first; k < last; k++) {
        var rule = D.rules[F.rules[k]], li = el("li");
        li.appendChild(el("span", "pos mono", F.lines[k] + ":" + F.columns[k]));
        var code = el("span", "badge " + ({error: "err", warning: "warn", info: "info"}[rule[2]] || "info"), rule[0]);
        code.title = rule[1] + " (" + rule[2] + ")";
        li.appendChild(code);
        li.appendChild(el("span", null, F.messages[k]));
        ul.appendChild(li);
      }
      td.appendChild(ul);
    }
    tr.appendChild(td);
    row.after(tr);
    row.classList.add("open");
    row.setAttribute("aria-expanded", "true");
  }
  function closeDetail(row) {
    var next = row.nextElementSibling;
    if (next && next.classList.contains("detail")) next.remove();
    row.classList.remove("open");
    row.setAttribute("aria-expanded", "false");
  }
  function toggle(row) { if (row.classList.contains("open")) closeDetail(row); else openDetail(row); }
  function drawNotes(a, b) {
    tbody.textContent = "";
    var frag = document.createDocumentFragment();
    for (var k = a; k < b; k++) frag.appendChild(noteRow(shown[k]));
    tbody.appendChild(frag);
  }
  function applyFilter(page) {
    var q = search.value.trim().toLowerCase(), test = tests[filter.value] || tests.all;
    shown = order.filter(function (i) {
      var n = note(i);
      if (!test(n)) return false;
      if (!q) return true;
      return (title(i) + " " + n[NOTE.path] + " " + (n[NOTE.video] || "")).toLowerCase().indexOf(q) !== -1;
    });
    count.textContent = fmtInt(shown.length) + " of " + fmtInt(D.notes.length) + " notes";
    pager.show(shown.length, page || 0);
  }
  function sortKey(key, numeric) {
    return function (i) {
      if (key === "title") return title(i).toLowerCase();
      var v = note(i)[NOTE[key]];
      if (numeric) return v === null || v === undefined ? null : v;
      return (v || "").toLowerCase();
    };
  }
  function sortBy(key, numeric, sign) {
    var get = sortKey(key, numeric);
    var keyed = D.notes.map(function (_, i) { return [get(i), i]; });
    keyed.sort(function (a, b) {
      if (a[0] === b[0]) return a[1] - b[1];
      if (a[0] === null) return 1;  // no value: last, either way
      if (b[0] === null) return -1;
      return (a[0] < b[0] ? -1 : 1) * sign;
    });
    order = keyed.map(function (k) { return k[1]; });
    applyFilter(0);
  }
  function showNote(i) {
    filter.value = "all"; search.value = "";
    applyFilter(0);
    var at = shown.indexOf(i);
    pager.show(shown.length, Math.floor(at / pager.size));
    var row = document.getElementById("n" + i);
    if (row) { if (!row.classList.contains("open")) openDetail(row); row.scrollIntoView(); }
  }
  function initNotes() {
    table = document.getElementById("notes-table");
    tbody = table.tBodies[0];
    search = document.getElementById("note-search");
    filter = document.getElementById("note-filter");
    count = document.getElementById("note-count");
    pager = new Pager(document.getElementById("notes-pager"), 100, drawNotes);
    order = D.notes.map(function (_, i) { return i; });
    tbody.addEventListener("click", function (e) {
      if (e.target.closest("a")) return;
      var row = e.target.closest("tr.note");
      if (row) toggle(row);
    });
    tbody.addEventListener("keydown", function (e) {
      var row = e.target.closest("tr.note");
      if (row && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); toggle(row); }
    });
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th) {
      var button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var numeric = th.dataset.type === "num";
        var dir = th.getAttribute("aria-sort") === "descending" ? "ascending"
          : th.getAttribute("aria-sort") === "ascending" ? "descending" : (numeric ? "descending" : "ascending");
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir);
        sortBy(th.dataset.key, numeric, dir === "ascending" ? 1 : -1);
      });
    });
    search.addEventListener("input", function () { applyFilter(0); });
    filter.addEventListener("change", function () { applyFilter(0); });
    document.addEventListener("click", function (e) {
      var a = e.target.closest("a[data-filter], a[data-note]");
      if (!a) return;
      if (a.dataset.filter) { filter.value = a.dataset.filter; search.value = ""; applyFilter(0); return; }
      e.preventDefault();
      showNote(Number(a.getAttribute("href").slice(2)));
    });
    applyFilter(0);
  }

  // -- wanted notes, orphans and dead ends ----------------------------------------------------
  function initWanted() {
    var host = document.getElementById("wanted-list");
    if (!host) return;
    var rows = D.wanted.filter(function (w) { return !w[WANTED.channel]; });
    var card = el("div", "tablecard"), tableEl = el("table");
    tableEl.id = "wanted-table";
    var head = el("tr");
    [["#", "n"], ["missing note"], ["notes linking", "n"], ["links", "n"], ["linked from"], ["closest existing note"]]
      .forEach(function (h) { head.appendChild(el("th", h[1] || null, h[0])); });
    tableEl.appendChild(el("thead")).appendChild(head);
    var body = tableEl.appendChild(el("tbody"));
    card.appendChild(tableEl);
    host.appendChild(card);
    var bar = host.appendChild(el("div", "pager"));
    new Pager(bar, 25, function (a, b) {
      body.textContent = "";
      for (var k = a; k < b; k++) {
        var w = rows[k], refs = w[WANTED.referrers], tr = el("tr");
        tr.dataset.target = w[WANTED.target];
        tr.appendChild(el("td", "n", k + 1));
        tr.appendChild(el("td", "title brk", w[WANTED.target]));
        var n = el("td", "n", fmtInt(refs.length));
        n.dataset.v = refs.length;
        tr.appendChild(n);
        tr.appendChild(el("td", "n", fmtInt(w[WANTED.references])));
        var from = el("td", "brk");
        refs.slice(0, 6).forEach(function (r, j) { if (j) from.appendChild(document.createTextNode(", ")); from.appendChild(noteLink(r)); });
        if (refs.length > 6) from.appendChild(document.createTextNode(" and " + fmtInt(refs.length - 6) + " more"));
        tr.appendChild(from);
        var close = el("td", "brk");
        if (w[WANTED.closest]) { close.appendChild(el("span", "path", "maybe a typo of ")); close.appendChild(document.createTextNode(w[WANTED.closest])); }
        tr.appendChild(close);
        body.appendChild(tr);
      }
    }).show(rows.length, 0);
  }
  function initList(id, refs) {
    var host = document.getElementById(id);
    if (!host) return;
    var p = pagedIn(host, 60, function (body, a, b) {
      var ul = el("ul", "cols");
      for (var k = a; k < b; k++) ul.appendChild(el("li")).appendChild(noteLink(refs[k]));
      body.appendChild(ul);
    });
    p.pager.show(refs.length, 0);
  }

  // -- video strips ---------------------------------------------------------------------------
  function heat(count) { return count <= 0 ? HEAT[0] : count === 1 ? HEAT[1] : count === 2 ? HEAT[2] : count <= 4 ? HEAT[3] : HEAT[4]; }
  function tickStep(minutes) {
    var steps = [1, 2, 5, 10, 15, 30, 60, 120];
    for (var k = 0; k < steps.length; k++) if (minutes / steps[k] <= 10) return steps[k];
    return 240;
  }
  function text(parent, attrs, content) { var t = svgEl("text", attrs, parent); t.textContent = content; return t; }
  function tip(parent, content) { svgEl("title", {}, parent).textContent = content; }
  function strip(v, url) {
    var minutes = v[VIDEO.minutes], notes = v[VIDEO.notes], n = Math.max(1, minutes.length);
    var width = 1180, left = 210, cellH = 24, rowH = 17, axisH = 18, plot = width - left, cell = plot / n;
    var y0 = cellH + axisH + 4, height = y0 + notes.length * rowH + 2;
    var svg = svgEl("svg", {"class": "strip", viewBox: "0 0 " + width + " " + height, width: width, height: height,
      role: "img", "aria-label": "minutes of video " + v[VIDEO.id] + " cited by its notes"});
    text(svg, {x: 0, y: cellH / 2 + 4, "class": "label strong"}, "minutes cited");
    var runs = [];
    minutes.forEach(function (c, i) {
      var colour = heat(c), last = runs[runs.length - 1];
      if (last && last[2] === colour) { last[1] = i; last[3] += c; } else runs.push([i, i, colour, c]);
    });
    runs.forEach(function (r) {
      var w = (r[1] - r[0] + 1) * cell - (cell > 4 ? 1 : 0);
      var parent = svg;
      if (url) { parent = svgEl("a", {href: url + "&t=" + r[0] * 60 + "s"}, svg); }
      var rect = svgEl("rect", {x: (left + r[0] * cell).toFixed(1), y: 0, width: Math.max(w, 0.6).toFixed(1), height: cellH, fill: r[2]}, parent);
      if (r[2] === HEAT[0]) rect.setAttribute("class", "track");
      var where = r[0] === r[1] ? "minute " + r[0] : "minutes " + r[0] + "–" + r[1];
      tip(rect, where + ": " + (r[3] ? r[3] + " citation" + (r[3] === 1 ? "" : "s") : "not cited"));
    });
    var step = tickStep(n);
    for (var m = 0; m <= n; m += step) {
      var x = left + Math.min(m * cell, plot);
      svgEl("line", {x1: x.toFixed(1), y1: cellH, x2: x.toFixed(1), y2: cellH + 4, stroke: "#6b7280"}, svg);
      text(svg, {x: x.toFixed(1), y: cellH + 13, "text-anchor": m === 0 ? "start" : m >= n ? "end" : "middle", "class": "tick"}, m + " min");
    }
    notes.forEach(function (pair, j) {
      var name = typeof pair[0] === "number" ? title(pair[0]) : noteName(pair[0]);
      var y = y0 + j * rowH, mid = y + rowH / 2, t = 0;
      var times = pair[1].map(function (d) { t += d; return t; });
      var label = text(svg, {x: 0, y: (mid + 4).toFixed(1), "class": "label"}, name.length > 30 ? name.slice(0, 29) + "…" : name);
      tip(label, name);
      svgEl("line", {x1: left, y1: mid.toFixed(1), x2: width, y2: mid.toFixed(1), "class": "rail"}, svg);
      if (!times.length) return;
      var g = svgEl("g", {}, svg);
      var listed = times.slice(0, 40).map(clock).join(", ") + (times.length > 40 ? " … (" + times.length + " times)" : "");
      tip(g, name + " cites " + listed);
      var a = left + times[0] / 60 * cell, b = left + times[times.length - 1] / 60 * cell;
      svgEl("rect", {x: a.toFixed(1), y: (mid - 2).toFixed(1), width: Math.max(b - a, 1).toFixed(1), height: 4, rx: 2, fill: HEAT[2], opacity: "0.6"}, g);
      var d = times.map(function (s) { return "M" + Math.min(left + s / 60 * cell, width - 2).toFixed(1) + " " + (y + 3) + "v" + (rowH - 6); }).join("");
      svgEl("path", {d: d, stroke: HEAT[4], "stroke-width": 2}, g);
    });
    return svg;
  }
  function videoBlock(v) {
    var url = videoUrl(v[VIDEO.id]), n = v[VIDEO.minutes].length, notes = v[VIDEO.notes];
    var box = el("div", "video");
    box.id = "v-" + v[VIDEO.id];
    box.dataset.video = v[VIDEO.id];
    var head = box.appendChild(el("div", "vhead")), vt = head.appendChild(el("span", "vt"));
    if (v[VIDEO.channel]) vt.appendChild(document.createTextNode(v[VIDEO.channel] + " · "));
    if (url) { var a = vt.appendChild(el("a", null, v[VIDEO.id])); a.href = url; a.rel = "noopener noreferrer"; }
    else vt.appendChild(document.createTextNode(v[VIDEO.id]));
    function stat(bold, rest, before) {
      var s = head.appendChild(el("span", "stat"));
      if (before) s.appendChild(document.createTextNode(before));
      s.appendChild(el("b", null, bold));
      if (rest) s.appendChild(document.createTextNode(rest));
      return s;
    }
    stat(fmtInt(notes.length), notes.length === 1 ? " note" : " notes");
    stat(v[VIDEO.first] === null ? "nothing cited" : clock(v[VIDEO.first]) + " – " + clock(v[VIDEO.last]), "", "cites ");
    var share = n ? v[VIDEO.cited_minutes] / n : 0;
    stat(fmtInt(v[VIDEO.cited_minutes]), " of " + plural(n, "minute") + " cited (" + Math.round(share * 100) + "%)")
      .querySelector("b").dataset.minutesCited = v[VIDEO.cited_minutes];
    var scale = head.appendChild(el("span", "stat", v[VIDEO.duration] === null
      ? "length unknown: strip ends at the latest time cited" : "length " + clock(v[VIDEO.duration])));
    if (v[VIDEO.outliers]) {
      scale.appendChild(document.createTextNode(" · "));
      scale.appendChild(el("span", "worse", plural(v[VIDEO.outliers], "time") + " off scale"));
    }
    box.appendChild(strip(v, url));
    return box;
  }
  function initVideos() {
    var host = document.getElementById("video-list");
    if (!host) return;
    pagedIn(host, 10, function (body, a, b) {
      for (var k = a; k < b; k++) body.appendChild(videoBlock(D.videos[k]));
    }).pager.show(D.videos.length, 0);
  }

  load().then(function (data) {
    D = data;
    D.fields.note.forEach(function (f, i) { NOTE[f] = i; });
    D.fields.video.forEach(function (f, i) { VIDEO[f] = i; });
    D.fields.wanted.forEach(function (f, i) { WANTED[f] = i; });
    var at = 0;
    D.findings.starts = D.findings.counts.map(function (c) { var s = at; at += c; return s; });
    initNotes();
    initWanted();
    initList("orphan-list", D.orphans);
    initList("deadend-list", D.dead_ends);
    initVideos();
    document.body.dataset.ready = "1";
    if (location.hash && /^#n\d+$/.test(location.hash)) showNote(Number(location.hash.slice(2)));
  });
})();
