// The broker network page: a small force layout in plain SVG; drag nodes, click to open.
"use strict";

(function () {
  const COLOURS = {owner: "#1d3557", property: "#c53030", official: "#dd6b20", other: "#718096"};
  const svg = document.getElementById("graph");
  if (!svg) return;
  const data = JSON.parse(document.getElementById("page-data").textContent);
  const NS = "http://www.w3.org/2000/svg";
  const width = svg.clientWidth || 900, height = svg.clientHeight || 540;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const nodes = data.nodes.map((n, i) => {
    const angle = (2 * Math.PI * i) / data.nodes.length;
    return Object.assign({}, n, {
      x: width / 2 + Math.cos(angle) * height / 3, y: height / 2 + Math.sin(angle) * height / 3,
      vx: 0, vy: 0, fixed: false,
    });
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = data.edges.filter((e) => byId.has(e.source) && byId.has(e.target))
    .map((e) => Object.assign({}, e, {s: byId.get(e.source), t: byId.get(e.target)}));

  const edgeLayer = document.createElementNS(NS, "g");
  const nodeLayer = document.createElementNS(NS, "g");
  svg.append(edgeLayer, nodeLayer);
  for (const e of edges) {
    e.el = document.createElementNS(NS, "line");
    e.el.setAttribute("class", `edge ${e.label}`);
    e.el.setAttribute("stroke-width", Math.min(1 + Math.log2(e.weight || 1), 6));
    const title = document.createElementNS(NS, "title");
    title.textContent = `${e.source} ${e.label} ${e.target} (${e.weight})`;
    e.el.append(title);
    edgeLayer.append(e.el);
  }
  for (const n of nodes) {
    n.el = document.createElementNS(NS, "g");
    n.el.setAttribute("class", `node ${n.type}`);
    n.el.dataset.id = n.id;
    const circle = document.createElementNS(NS, "circle");
    circle.setAttribute("r", n.type === "property" ? 8 + Math.min(n.score || 0, 10) : 11);
    circle.setAttribute("fill", COLOURS[n.type] || COLOURS.other);
    const label = document.createElementNS(NS, "text");
    label.setAttribute("x", 14);
    label.setAttribute("y", 4);
    label.textContent = n.id;
    const title = document.createElementNS(NS, "title");
    title.textContent = `${n.type} ${n.id}` + (n.score != null ? ` · score ${n.score}` : "");
    circle.append(title);
    n.el.append(circle, label);
    nodeLayer.append(n.el);
  }

  function tick(alpha) {
    for (const a of nodes) {
      for (const b of nodes) {
        if (a === b) continue;
        const dx = a.x - b.x, dy = a.y - b.y, d2 = Math.max(dx * dx + dy * dy, 25);
        const f = (6000 / d2) * alpha;
        a.vx += dx * f / Math.sqrt(d2); a.vy += dy * f / Math.sqrt(d2);
      }
    }
    for (const e of edges) {
      const dx = e.t.x - e.s.x, dy = e.t.y - e.s.y, d = Math.max(Math.hypot(dx, dy), 1);
      const f = ((d - 150) / d) * 0.06 * alpha;
      e.s.vx += dx * f; e.s.vy += dy * f; e.t.vx -= dx * f; e.t.vy -= dy * f;
    }
    for (const n of nodes) {
      n.vx += (width / 2 - n.x) * 0.004 * alpha; n.vy += (height / 2 - n.y) * 0.004 * alpha;
      if (n.fixed) { n.vx = 0; n.vy = 0; continue; }
      n.vx *= 0.6; n.vy *= 0.6;
      n.x = Math.min(width - 20, Math.max(20, n.x + n.vx));
      n.y = Math.min(height - 20, Math.max(20, n.y + n.vy));
    }
  }

  function draw() {
    for (const e of edges) {
      e.el.setAttribute("x1", e.s.x); e.el.setAttribute("y1", e.s.y);
      e.el.setAttribute("x2", e.t.x); e.el.setAttribute("y2", e.t.y);
    }
    for (const n of nodes) n.el.setAttribute("transform", `translate(${n.x},${n.y})`);
  }

  let alpha = 1;
  const settle = nodes.length > 200 ? 40 : 200;  // the layout is quadratic in nodes
  for (let i = 0; i < settle; i++) tick(1 - i / (settle * 1.1));
  draw();
  function animate() {
    if (alpha < 0.02) return;
    alpha *= 0.97;
    tick(alpha);
    draw();
    requestAnimationFrame(animate);
  }

  function point(evt) {
    const p = svg.createSVGPoint();
    p.x = evt.clientX; p.y = evt.clientY;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  }
  let dragging = null, moved = false;
  nodeLayer.addEventListener("pointerdown", (evt) => {
    const g = evt.target.closest(".node");
    if (!g) return;
    dragging = byId.get(g.dataset.id);
    dragging.fixed = true;
    moved = false;
    svg.setPointerCapture(evt.pointerId);
  });
  svg.addEventListener("pointermove", (evt) => {
    if (!dragging) return;
    const p = point(evt);
    dragging.x = p.x; dragging.y = p.y; moved = true;
    alpha = Math.max(alpha, 0.3);
    draw();
    requestAnimationFrame(animate);
  });
  svg.addEventListener("pointerup", () => {
    if (dragging && !moved && ["owner", "property", "official"].includes(dragging.type)) {
      window.location.href = `/${dragging.type}/${encodeURIComponent(dragging.id)}`;
    }
    dragging = null;
  });
  window.zonewatchGraph = {nodes, edges};
})();
