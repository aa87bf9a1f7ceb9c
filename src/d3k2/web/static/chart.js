/* The 25(OH)D projection as an SVG chart, drawn from the report's JSON. */
"use strict";
const d3k2Chart = (() => {
  const NS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    const node = document.createElementNS(NS, tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }
  /* Days (from day 0, the test) on which vitamin D is taken, from the plan's segments. */
  function doseDays(report, projection, horizon) {
    const days = new Set();
    const offset = projection.regimen_start_day || 0;
    (report.plan || []).forEach((item) => {
      item.segments.forEach((s) => {
        if (s.nutrient !== "vitamin_d") return;
        const from = offset + (s.start_day || 0);
        const until = s.duration_days === null ? horizon : from + s.duration_days;
        if (!s.interval_days) { days.add(Math.round(from)); return; }
        for (let d = from; d < Math.min(until, horizon) && days.size < 2000; d += s.interval_days) days.add(Math.round(d));
      });
    });
    return Array.from(days).sort((a, b) => a - b);
  }
  function draw(container, report, lines) {
    const p = report.projection;
    if (!container || !p || !p.points) return;
    const W = 720, H = 340, L = 56, R = 150, T = 16, B = 48;
    const pts = p.points;
    const xmax = pts[pts.length - 1].day || 1;
    let ymax = Math.max(...pts.map((q) => q.high));
    if (p.target_nmol_l) ymax = Math.max(ymax, p.target_nmol_l);
    const shown = (lines || []).filter((l) => l.nmol_l <= ymax * 1.6);
    shown.forEach((l) => { ymax = Math.max(ymax, l.nmol_l); });
    ymax *= 1.08;
    const x = (d) => L + (d / xmax) * (W - L - R);
    const y = (v) => T + (1 - v / ymax) * (H - T - B);
    const root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", class: "chart-svg", tabindex: "0", focusable: "true" });
    root.appendChild(svg("title", {}, "Projected serum 25(OH)D in nmol/L over " + xmax + " days; use the left and right arrow keys to read values"));
    // axes and grid
    const step = ymax > 200 ? 50 : 25;
    for (let v = 0; v <= ymax; v += step) {
      root.appendChild(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }));
      root.appendChild(svg("text", { x: L - 6, y: y(v) + 4, class: "tick", "text-anchor": "end" }, String(v)));
    }
    const xstep = xmax > 200 ? 60 : xmax > 60 ? 30 : 7;
    for (let d = 0; d <= xmax; d += xstep) {
      root.appendChild(svg("text", { x: x(d), y: H - B + 16, class: "tick", "text-anchor": "middle" }, String(d)));
    }
    root.appendChild(svg("text", { x: (L + W - R) / 2, y: H - 6, class: "axis-label", "text-anchor": "middle" }, "days since the baseline test"));
    root.appendChild(svg("text", { x: 14, y: (T + H - B) / 2, class: "axis-label", transform: "rotate(-90 14 " + (T + H - B) / 2 + ")", "text-anchor": "middle" }, "25(OH)D, nmol/L"));
    // band and central line
    const band = pts.map((q) => x(q.day) + "," + y(q.high)).concat(pts.slice().reverse().map((q) => x(q.day) + "," + y(q.low)));
    root.appendChild(svg("polygon", { points: band.join(" "), class: "band" }));
    root.appendChild(svg("polyline", { points: pts.map((q) => x(q.day) + "," + y(q.serum_25ohd_nmol_l)).join(" "), class: "central" }));
    // target and concern lines
    const hline = (v, cls, label) => {
      root.appendChild(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: cls }));
      root.appendChild(svg("text", { x: W - R + 6, y: y(v) + 4, class: "line-label " + cls + "-label" }, label));
    };
    if (p.target_nmol_l) hline(p.target_nmol_l, "target", "target " + p.target_nmol_l);
    shown.forEach((l) => hline(l.nmol_l, "concern", l.label.split(" (")[0] + " " + l.nmol_l));
    // dose days
    const doses = doseDays(report, p, xmax);
    const marks = svg("g", { class: "doses" });
    marks.appendChild(svg("title", {}, doses.length + " dose days marked"));
    doses.forEach((d) => marks.appendChild(svg("line", { x1: x(d), x2: x(d), y1: H - B, y2: H - B - 8, class: "dose" })));
    root.appendChild(marks);
    // reading cursor
    const cursor = svg("line", { y1: T, y2: H - B, class: "cursor", visibility: "hidden" });
    root.appendChild(cursor);
    const readout = document.createElement("p");
    readout.className = "readout";
    readout.setAttribute("aria-live", "polite");
    readout.textContent = "Point at the chart, or focus it and use the arrow keys, to read the values.";
    let index = 0;
    const show = (i) => {
      index = Math.max(0, Math.min(pts.length - 1, i));
      const q = pts[index];
      cursor.setAttribute("x1", x(q.day)); cursor.setAttribute("x2", x(q.day));
      cursor.setAttribute("visibility", "visible");
      readout.textContent = "Day " + q.day + ": " + q.serum_25ohd_nmol_l + " nmol/L (band " + q.low + "–" + q.high + ")" + (doses.includes(q.day) ? "; dose day" : "");
    };
    root.addEventListener("mousemove", (e) => {
      const box = root.getBoundingClientRect();
      const day = ((e.clientX - box.left) / box.width * W - L) / (W - L - R) * xmax;
      let best = 0;
      pts.forEach((q, i) => { if (Math.abs(q.day - day) < Math.abs(pts[best].day - day)) best = i; });
      show(best);
    });
    root.addEventListener("keydown", (e) => {
      if (e.key === "ArrowRight") { e.preventDefault(); show(index + (e.shiftKey ? 30 : 1)); }
      if (e.key === "ArrowLeft") { e.preventDefault(); show(index - (e.shiftKey ? 30 : 1)); }
    });
    // legend
    const legend = document.createElement("ul");
    legend.className = "legend";
    [["central", "most likely level"], ["band", Math.round((p.band.high_quantile - p.band.low_quantile) * 100) + "% band"], ["target", "target"], ["concern", "level of concern"], ["dose", "dose day"]].forEach(([cls, text]) => {
      const li = document.createElement("li");
      li.innerHTML = '<span class="key key-' + cls + '" aria-hidden="true"></span>';
      li.appendChild(document.createTextNode(text));
      legend.appendChild(li);
    });
    container.textContent = "";
    container.append(root, legend, readout);
  }
  return { draw, doseDays };
})();
