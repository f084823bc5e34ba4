// postdash: draws the charts go-echarts describes, and formats their numbers
// in the reader's language (separators come from attributes on <html>).
(function () {
  "use strict";
  var root = document.documentElement;
  var charts = [];
  function attr(name, def) {
    var v = root.getAttribute("data-" + name);
    return v === null ? def : v;
  }
  var units = {};
  try { units = JSON.parse(attr("units", "{}")); } catch (e) { units = {}; }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  // fmt formats v with dec decimals (dec < 0: as few as needed, at most 2)
  // and the unit whose key is given.
  function fmt(v, dec, unit) {
    if (v === null || v === undefined || v === "-" || v === "" || isNaN(v)) return "–";
    v = Number(v);
    if (dec < 0) dec = Number.isInteger(v) ? 0 : (Math.abs(v) >= 10 ? 1 : 2);
    var parts = Math.abs(v).toFixed(dec).split(".");
    var s = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, attr("thousands", ","));
    if (parts[1]) s += attr("decimal", ".") + parts[1];
    if (v < 0) s = "−" + s;
    if (unit && units[unit]) s += "\u00a0" + units[unit];
    return s;
  }
  // balanceTip shows each category's actual inbound and outbound values
  // (a = [[in, out, unit, decimals], ...]) and their ratio.
  function balanceTip(p, a) {
    if (!p.length) return "";
    var row = a[p[0].dataIndex] || [];
    var out = esc(p[0].name);
    for (var i = 0; i < p.length; i++) {
      out += "<br>" + p[i].marker + esc(p[i].seriesName) + ": " + fmt(row[i], row[3], row[2]) + " (" + fmt(p[i].value, 1, "") + " %)";
    }
    if (row[0] && row[1] !== null) out += "<br>" + esc(attr("l-ratio", "ratio")) + ": " + fmt(row[1] / row[0], 2, "");
    return out;
  }
  // gridTip says whether a cell of the completeness grid holds data.
  function gridTip(p, present, missing) {
    return esc(p.name) + "<br>" + (p.value[2] ? present : missing);
  }
  // pieLabel writes a slice's share in the locale's format (the legend names it).
  function pieLabel(p) {
    return fmt(p.percent, 0, "") + "\u00a0%";
  }
  // chart draws one chart into the element with this id and marks it drawn.
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") return;
    var c = echarts.init(el, null, { renderer: "canvas" });
    c.on("finished", function () { el.setAttribute("data-drawn", "true"); });
    c.setOption(option);
    charts.push(c);
  }
  var pending = 0;
  function resizeAll() {
    if (pending) return;
    pending = window.requestAnimationFrame(function () {
      pending = 0;
      charts.forEach(function (c) { c.resize(); });
    });
  }
  window.addEventListener("resize", resizeAll);
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("afterprint", resizeAll);
  window.pd = { fmt: fmt, balanceTip: balanceTip, gridTip: gridTip, pieLabel: pieLabel, chart: chart };
})();
