// spinscope: progressive enhancement only. Every page reads fine without this file.
// 1) tooltips on highlighted passages (technique, group, confidence, definition);
// 2) filters by technique and group applied instantly; 3) the print button.
(function () {
  "use strict";

  function findingRows() {
    var rows = {};
    document.querySelectorAll("[data-findings] tr[data-i]").forEach(function (tr) {
      rows[tr.getAttribute("data-i")] = tr;
    });
    return rows;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }  // textContent: never parsed as HTML
    return e;
  }

  function setupTooltips(rows) {
    var tip = el("div", "tip");
    tip.setAttribute("role", "tooltip");
    tip.id = "spinscope-tip";
    tip.hidden = true;
    document.body.appendChild(tip);
    var current = null;

    function show(mark) {
      var ids = (mark.getAttribute("data-s") || "").split(" ").filter(Boolean);
      tip.replaceChildren();
      ids.forEach(function (i) {
        var row = rows[i];
        if (!row || row.classList.contains("off")) { return; }
        var item = el("div", "tip-item");
        item.appendChild(el("strong", "", row.getAttribute("data-title")));
        var line = el("span", "");
        line.appendChild(el("span", "conf", row.getAttribute("data-conf") + " confident"));
        line.appendChild(document.createTextNode(" · " + row.getAttribute("data-group-name")));
        item.appendChild(line);
        item.appendChild(el("p", "", row.getAttribute("data-def")));
        tip.appendChild(item);
      });
      if (!tip.childNodes.length) { hide(); return; }
      if (mark.hasAttribute("title")) {  // avoid the native tooltip doubling ours
        mark.setAttribute("data-title", mark.getAttribute("title"));
        mark.removeAttribute("title");
      }
      tip.hidden = false;
      var r = mark.getBoundingClientRect();
      var left = Math.min(window.scrollX + r.left,
                          window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
      tip.style.left = Math.max(8, left) + "px";
      tip.style.top = (window.scrollY + r.bottom + 6) + "px";
      mark.setAttribute("aria-describedby", tip.id);
      current = mark;
    }

    function hide() {
      tip.hidden = true;
      if (current) { current.removeAttribute("aria-describedby"); }
      current = null;
    }

    document.querySelectorAll("mark.hl").forEach(function (mark) {
      mark.addEventListener("mouseenter", function () { show(mark); });
      mark.addEventListener("mouseleave", hide);
      mark.addEventListener("focus", function () { show(mark); });
      mark.addEventListener("blur", hide);
      mark.addEventListener("click", function () { if (current === mark) { hide(); } else { show(mark); } });
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(); } });
  }

  function setupFilters(rows) {
    var form = document.querySelector("form[data-filters]");
    if (!form) { return; }
    form.classList.add("live");
    var groupClasses = [];
    Object.keys(rows).forEach(function (i) {
      var c = rows[i].getAttribute("data-css");
      if (groupClasses.indexOf(c) < 0) { groupClasses.push(c); }
    });

    function apply() {
      var techs = [], groups = [];
      form.querySelectorAll("input[name=technique]:checked").forEach(function (c) { techs.push(c.value); });
      form.querySelectorAll("input[name=group]:checked").forEach(function (c) { groups.push(c.value); });
      var all = !techs.length && !groups.length;
      var visible = {}, shown = 0;
      Object.keys(rows).forEach(function (i) {
        var row = rows[i];
        var ok = all || techs.indexOf(row.getAttribute("data-t")) >= 0 ||
                 groups.indexOf(row.getAttribute("data-g")) >= 0;
        row.classList.toggle("off", !ok);
        if (ok) { visible[i] = true; shown += 1; }
      });
      document.querySelectorAll("mark.hl").forEach(function (mark) {
        var ids = (mark.getAttribute("data-s") || "").split(" ").filter(function (i) { return visible[i]; });
        groupClasses.forEach(function (c) { mark.classList.remove(c); });
        mark.classList.toggle("off", ids.length === 0);
        mark.classList.toggle("multi", ids.length > 1);
        if (ids.length) {
          var best = ids.reduce(function (a, b) {
            return parseFloat(rows[b].getAttribute("data-conf")) > parseFloat(rows[a].getAttribute("data-conf")) ? b : a;
          });
          mark.classList.add(rows[best].getAttribute("data-css"));
        }
      });
      document.querySelectorAll(".para-summary .chip[data-t]").forEach(function (chip) {
        var ok = all || techs.indexOf(chip.getAttribute("data-t")) >= 0 ||
                 groups.indexOf(chip.getAttribute("data-g")) >= 0;
        chip.hidden = !ok;
      });
      var caption = document.querySelector("[data-findings] caption");
      if (caption) { caption.textContent = "Every finding, in text order (" + shown + " shown of " + Object.keys(rows).length + ")"; }
      var params = new URLSearchParams();
      techs.forEach(function (t) { params.append("technique", t); });
      groups.forEach(function (g) { params.append("group", g); });
      var qs = params.toString();
      history.replaceState(null, "", window.location.pathname + (qs ? "?" + qs : ""));
    }

    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  }

  function setupPrint() {
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var rows = findingRows();
    setupTooltips(rows);
    setupFilters(rows);
    setupPrint();
  });
}());
