(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("audit-data").textContent);
  var table = document.getElementById("notes-table");
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.querySelectorAll("tr.note"));
  var search = document.getElementById("note-search");
  var filter = document.getElementById("note-filter");
  var count = document.getElementById("note-count");

  function closeDetail(row) {
    var next = row.nextElementSibling;
    if (next && next.classList.contains("detail")) next.remove();
    row.classList.remove("open");
    row.setAttribute("aria-expanded", "false");
  }

  function openDetail(row) {
    var note = data.notes[Number(row.dataset.i)];
    var tr = document.createElement("tr");
    tr.className = "detail";
    var td = document.createElement("td");
    td.colSpan = row.cells.length;
    var head = document.createElement("div");
    head.className = "path";
    head.textContent = note.path + (note.video ? "  ·  video " + note.video : "");
    td.appendChild(head);
    if (!note.findings.length) {
      var none = document.createElement("p");
      none.className = "empty";
      none.textContent = "No findings.";
      td.appendChild(none);
    } else {
      var ul = document.createElement("ul");
      ul.className = "findings";
      note.findings.forEach(function (f) {
        var li = document.createElement("li");
        var pos = document.createElement("span");
        pos.className = "pos mono";
        pos.textContent = f[2] + ":" + f[3];
        var code = document.createElement("span");
        code.className = "badge " + ({error: "err", warning: "warn", info: "info"}[f[1]] || "info");
        code.textContent = f[0];
        code.title = (data.rules[f[0]] || "") + " (" + f[1] + ")";
        var msg = document.createElement("span");
        msg.textContent = f[4];
        li.appendChild(pos); li.appendChild(code); li.appendChild(msg);
        ul.appendChild(li);
      });
      td.appendChild(ul);
    }
    tr.appendChild(td);
    row.after(tr);
    row.classList.add("open");
    row.setAttribute("aria-expanded", "true");
  }

  function toggle(row) {
    if (row.classList.contains("open")) closeDetail(row); else openDetail(row);
  }

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
  heads.forEach(function (th, col) {
    var button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", function () {
      var dir = th.getAttribute("aria-sort") === "descending" ? "ascending"
        : th.getAttribute("aria-sort") === "ascending" ? "descending"
        : (th.dataset.type === "num" ? "descending" : "ascending");
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir);
      sortBy(col, th.dataset.type === "num", dir === "ascending" ? 1 : -1);
    });
  });

  function key(row, col, numeric) {
    var v = row.cells[col].dataset.v;
    if (numeric) return v === "" || v === undefined ? null : Number(v);
    return (v === undefined ? row.cells[col].textContent : v).toLowerCase();
  }

  function sortBy(col, numeric, sign) {
    rows.forEach(closeDetail);
    var keyed = rows.map(function (row, i) { return [key(row, col, numeric), i, row]; });
    keyed.sort(function (a, b) {
      if (a[0] === b[0]) return a[1] - b[1];
      if (a[0] === null) return 1;  // no value: last, either way
      if (b[0] === null) return -1;
      return (a[0] < b[0] ? -1 : 1) * sign;
    });
    rows = keyed.map(function (k) { return k[2]; });
    rows.forEach(function (row) { tbody.appendChild(row); });
  }

  var tests = {
    all: function () { return true; },
    errors: function (r) { return Number(r.dataset.errors) > 0; },
    uncited: function (r) { return Number(r.dataset.uncited) > 0; },
    low: function (r) { return r.dataset.coverage !== "" && Number(r.dataset.coverage) < 0.8; },
    orphan: function (r) { return r.dataset.orphan === "1"; },
    deadend: function (r) { return r.dataset.deadend === "1"; },
    unresolved: function (r) { return Number(r.dataset.unresolved) > 0; }
  };

  function apply() {
    var q = search.value.trim().toLowerCase();
    var test = tests[filter.value] || tests.all;
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!q || row.dataset.text.indexOf(q) !== -1) && test(row);
      if (!ok) closeDetail(row);
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown + " of " + rows.length + " notes";
  }
  search.addEventListener("input", apply);
  filter.addEventListener("change", apply);
  document.querySelectorAll("a[data-filter]").forEach(function (a) {
    a.addEventListener("click", function () { filter.value = a.dataset.filter; search.value = ""; apply(); });
  });
  document.querySelectorAll("a[data-note]").forEach(function (a) {
    a.addEventListener("click", function () {
      filter.value = "all"; search.value = ""; apply();
      var row = document.getElementById(a.getAttribute("href").slice(1));
      if (row && !row.classList.contains("open")) openDetail(row);
    });
  });
  apply();
})();
