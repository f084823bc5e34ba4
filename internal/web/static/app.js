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
    var out = esc(String(p[0].name).split("\n")[0]);
    for (var i = 0; i < p.length; i++) {
      out += "<br>" + p[i].marker + esc(p[i].seriesName) + ": " + fmt(row[i], row[3], row[2]) + " (" + fmt(p[i].value, 1, "") + " %)";
    }
    if (row[0] && row[1] !== null) out += "<br>" + esc(attr("l-ratio", "ratio")) + " " + fmt(row[1] / row[0], 2, "");
    return out;
  }
  // gridTip says whether a cell of the completeness grid holds data.
  function gridTip(p, present, missing) {
    return esc(p.name) + "<br>" + (p.value[2] ? present : missing);
  }
  // pieLabel writes a slice's value (dec decimals, unit) and share in the
  // locale's format (the legend names it), so a printout can be read.
  function pieLabel(p, dec, unit) {
    return fmt(p.value, dec, unit) + "\n" + fmt(p.percent, 0, "") + "\u00a0%";
  }
  // Text widths for laying out legends, measured in ECharts' default font.
  var measure = null;
  function textWidth(s) {
    if (!measure) {
      measure = document.createElement("canvas").getContext("2d");
      measure.font = "12px sans-serif";
    }
    return measure.measureText(String(s)).width;
  }
  // legendRows counts the rows a legend of these names takes in width px
  // (an item is a 25 px icon, 5 px, the name, and a 10 px gap).
  function legendRows(names, width) {
    var rows = 1, x = 0;
    names.forEach(function (n) {
      var w = 40 + textWidth(n);
      if (x > 0 && x + w > width) { rows++; x = 0; }
      x += w;
    });
    return rows;
  }
  function legendNames(o) {
    var names = [];
    (o.series || []).forEach(function (s) {
      if (s.type === "pie") (s.data || []).forEach(function (d) { names.push(d.name); });
      else names.push(s.name);
    });
    return names;
  }
  // monthLabels returns an axis label formatter for labels such as
  // "Jan 2025": the month, with the year on a second line only where it
  // changes, so that every month of a year fits on a phone.
  function monthLabels(data) {
    var year = /^(.*\S) (\d{4})$/;
    return function (v, i) {
      var m = year.exec(String(v)), prev = i > 0 ? year.exec(String(data[i - 1])) : null;
      if (!m) return v;
      return prev && prev[2] === m[2] ? m[1] : m[1] + "\n" + m[2];
    };
  }
  function isMonths(axis) {
    return axis && axis.data && axis.data.length && /\S \d{4}$/.test(axis.data[0]);
  }
  // layout returns what a chart's options need at this width, and in print:
  // ECharts does not move the plot out of the legend's way, so the legend
  // wraps in rows that fit beside the toolbox and the plot starts below it;
  // category labels wrap rather than crowd the plot; print has no toolbox
  // and no zoom slider.
  function layout(o, el, printing) {
    var width = el.clientWidth || 600, height = el.clientHeight || 360;
    var narrow = width < 520;
    var patch = { toolbox: { show: !printing } };
    var top = printing ? 4 : 30;
    if (o.legend && o.legend.show !== false) {
      var lw = Math.max(120, width - (printing ? 0 : 64));
      var rows = legendRows(legendNames(o), lw);
      patch.legend = { type: "plain", left: 0, top: 0, width: lw, itemGap: 10 };
      top = Math.max(top, 10 + rows * 14 + (rows - 1) * 10);
    }
    var slider = false;
    if (o.dataZoom) {
      patch.dataZoom = o.dataZoom.map(function (d) {
        if (d.type !== "slider") return {};
        slider = true;
        return { show: !printing };
      });
    }
    var x = o.xAxis && o.xAxis[0], y = o.yAxis && o.yAxis[0];
    if (o.grid) {
      patch.grid = [{ top: top + (y && y.name ? 24 : 10), bottom: slider && !printing ? 56 : 8 }];
    }
    if (isMonths(x)) {
      // Every month is labelled while labels of about 32 px fit the plot.
      var plot = width * (y && y.type === "category" ? 0.6 : 0.85);
      // Two lines ("Jan" over "2025") need their own line height, or they overlap.
      patch.xAxis = [{ axisLabel: { formatter: monthLabels(x.data), interval: x.data.length * 32 <= plot ? 0 : "auto", lineHeight: 14 } }];
    }
    if (x && x.type === "value" && x.max === 100) patch.xAxis = [{ interval: narrow ? 50 : 20 }];
    if (y && y.type === "category") {
      // Labels keep the lines the server gave them (name, then ratio): an
      // ECharts "break" splits a number at its decimal comma ("1" / ",48").
      patch.yAxis = [{ axisLabel: { overflow: "none", lineHeight: 14 } }];
    }
    if (printing && o.series && o.series.some(function (s) { return s.type === "bar"; }) && !(x && x.type === "value")) {
      // On paper there is no tooltip: each bar carries its value.
      patch.series = o.series.map(function (s) {
        if (s.type !== "bar" || (s.label && s.label.show)) return {};
        return { label: { show: true, fontSize: 9, position: s.stack ? "inside" : "top", formatter: function (p) { return fmt(p.value, -1, ""); } } };
      });
    }
    if (o.series && o.series.length === 1 && o.series[0].type === "pie") {
      var r = Math.max(40, Math.min(width, height - top) / 2 - 8);
      patch.series = [{ center: ["50%", Math.round(top + (height - top) / 2)], radius: [Math.round(r * 0.52), Math.round(r)], label: { lineHeight: 14 } }];
    }
    return patch;
  }
  var printing = window.matchMedia ? window.matchMedia("print") : { matches: false };
  // markTooltip adds each value's mark (data-marks: "r" revised, "*" marked
  // by its sheet) after it in the tooltip, as the tables show it.
  function markTooltip(option, el) {
    var marks = null;
    try { marks = JSON.parse(el.getAttribute("data-marks") || "null"); } catch (e) { marks = null; }
    var tt = option.tooltip && (Array.isArray(option.tooltip) ? option.tooltip[0] : option.tooltip);
    if (!marks || !tt) return;
    var vf = tt.valueFormatter || function (v) { return String(v); };
    var esc = function (t) { return String(t).replace(/[&<>"]/g, function (ch) { return "&#" + ch.charCodeAt(0) + ";"; }); };
    tt.formatter = function (ps) {
      ps = [].concat(ps);
      var out = ps.length && ps[0].axisValueLabel ? [esc(ps[0].axisValueLabel)] : [];
      ps.forEach(function (p) {
        if (p.value === "-" || p.value == null) return;
        var m = (marks[p.seriesIndex] || [])[p.dataIndex] || "";
        out.push(p.marker + esc(p.seriesName) + " <b>" + esc(vf(p.value)) + "</b>" + (m ? " <sup class=\"mark\">" + esc(m) + "</sup>" : ""));
      });
      return out.join("<br>");
    };
  }
  // chart draws one chart into the element with this id and marks it drawn.
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") return;
    var c = echarts.init(el, null, { renderer: "canvas" });
    c.on("finished", function () { el.setAttribute("data-drawn", "true"); });
    // A click on a bar, a slice or a square opens what it sums.
    var trace = null;
    try { trace = JSON.parse(el.getAttribute("data-trace") || "null"); } catch (e) { trace = null; }
    if (trace) {
      c.on("click", function (p) {
        var s = trace[p.seriesIndex] || trace[0] || [];
        var url = s[p.dataIndex];
        if (url) openTrace(url, el);
      });
    }
    markTooltip(option, el);
    c.setOption(option);
    c.setOption(layout(option, el, printing.matches));
    charts.push({ c: c, el: el, option: option });
  }
  // relayout fits every chart to its element again, for the screen or for print.
  function relayout() {
    charts.forEach(function (x) {
      x.c.resize();
      x.c.setOption(layout(x.option, x.el, printing.matches));
    });
  }
  var pending = 0;
  function resizeAll() {
    if (pending) return;
    pending = window.requestAnimationFrame(function () {
      pending = 0;
      relayout();
    });
  }
  window.addEventListener("resize", resizeAll);
  window.addEventListener("beforeprint", relayout);
  window.addEventListener("afterprint", relayout);
  if (printing.addEventListener) printing.addEventListener("change", relayout);
  // The trace panel: what a figure sums, beside the page; its own address
  // (the link in it) opens the same list as a page, to share.
  var opener = null;
  function openTrace(url, from) {
    var panel = document.getElementById("trace-panel");
    if (!panel) { window.location.href = url; return; }
    var body = panel.querySelector(".trace-body");
    opener = from || document.activeElement;
    fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "panel=1", { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        body.innerHTML = html;
        panel.hidden = false;
        var h = panel.querySelector("#trace-title");
        if (h) h.focus();
      })
      .catch(function () { window.location.href = url; });
  }
  function closeTrace() {
    var panel = document.getElementById("trace-panel");
    if (!panel || panel.hidden) return;
    panel.hidden = true;
    if (opener && opener.focus) opener.focus();
  }
  document.addEventListener("click", function (e) {
    var a = e.target && e.target.closest ? e.target.closest("a.trace") : null;
    if (a && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.button === 0) {
      e.preventDefault();
      openTrace(a.getAttribute("href"), a);
      return;
    }
    if (e.target && e.target.closest && e.target.closest("[data-trace-close]")) closeTrace();
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") closeTrace(); });
  // On a phone the filter form starts folded under its one-line summary,
  // so that the first screen shows figures.
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("filter-box");
    if (box && window.matchMedia && window.matchMedia("(max-width: 600px)").matches) box.open = false;
  });
  // A button marked data-print prints the page (the briefing: "save as PDF").
  document.addEventListener("click", function (e) {
    var t = e.target && e.target.closest ? e.target.closest("[data-print]") : null;
    if (t) window.print();
  });
  window.pd = { openTrace: openTrace, fmt: fmt, balanceTip: balanceTip, gridTip: gridTip, pieLabel: pieLabel, chart: chart };
})();
