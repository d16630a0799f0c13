// Actor network: a small force layout (repulsion, springs, gravity) over the JSON the page embeds,
// drawn as SVG with createElementNS and textContent only, so names from articles stay inert.
"use strict";
(function () {
  const svg = document.getElementById("network");
  const source = document.getElementById("network-data");
  if (!svg || !source) { return; }
  const data = JSON.parse(source.textContent);
  const NS = "http://www.w3.org/2000/svg";
  const width = 1000;
  const height = 640;
  svg.setAttribute("viewBox", "0 0 " + width + " " + height);

  const nodes = data.nodes.map((n, i) => ({
    ...n,
    // Deterministic start on a circle: the same data always gives the same picture.
    x: width / 2 + 250 * Math.cos((2 * Math.PI * i) / data.nodes.length),
    y: height / 2 + 250 * Math.sin((2 * Math.PI * i) / data.nodes.length),
    vx: 0, vy: 0,
  }));
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const edges = data.edges.filter((e) => index.has(e.source) && index.has(e.target));

  for (let step = 0; step < 300; step += 1) {
    const cooling = 1 - step / 300;
    for (let i = 0; i < nodes.length; i += 1) {
      for (let j = i + 1; j < nodes.length; j += 1) {
        const a = nodes[i];
        const b = nodes[j];
        let dx = a.x - b.x;
        let dy = a.y - b.y;
        const d2 = Math.max(dx * dx + dy * dy, 25);
        const force = 2500 / d2;
        const d = Math.sqrt(d2);
        dx /= d; dy /= d;
        a.vx += dx * force; a.vy += dy * force;
        b.vx -= dx * force; b.vy -= dy * force;
      }
    }
    edges.forEach((e) => {
      const a = nodes[index.get(e.source)];
      const b = nodes[index.get(e.target)];
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const d = Math.max(Math.sqrt(dx * dx + dy * dy), 1);
      const pull = (d - 140) * 0.02;
      a.vx += (dx / d) * pull; a.vy += (dy / d) * pull;
      b.vx -= (dx / d) * pull; b.vy -= (dy / d) * pull;
    });
    nodes.forEach((n) => {
      n.vx += (width / 2 - n.x) * 0.005;
      n.vy += (height / 2 - n.y) * 0.005;
      n.x = Math.min(width - 20, Math.max(20, n.x + Math.max(-20, Math.min(20, n.vx)) * cooling));
      n.y = Math.min(height - 20, Math.max(20, n.y + Math.max(-20, Math.min(20, n.vy)) * cooling));
      n.vx *= 0.5; n.vy *= 0.5;
    });
  }

  function make(tag, attrs) {
    const el = document.createElementNS(NS, tag);
    Object.entries(attrs).forEach(([k, v]) => el.setAttribute(k, String(v)));
    return el;
  }

  const radius = (n) => 4 + Math.sqrt(n.weight) * 2;
  const defs = make("defs", {});
  const marker = make("marker", {
    id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9, markerHeight: 9,
    markerUnits: "userSpaceOnUse", orient: "auto",
  });
  marker.appendChild(make("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrow" }));
  defs.appendChild(marker);
  svg.appendChild(defs);

  const maxWeight = Math.max(1, ...edges.map((e) => e.weight));
  edges.forEach((e) => {
    const a = nodes[index.get(e.source)];
    const b = nodes[index.get(e.target)];
    // Stop the line at the target's rim so the arrowhead (direction: source acts on target) shows.
    const d = Math.max(Math.hypot(b.x - a.x, b.y - a.y), 1);
    const back = Math.min(radius(b) + 2, d / 2);
    const line = make("line", {
      class: "edge", x1: a.x, y1: a.y, x2: b.x - ((b.x - a.x) / d) * back, y2: b.y - ((b.y - a.y) / d) * back,
      "stroke-width": 1 + (5 * e.weight) / maxWeight, "marker-end": "url(#arrow)",
    });
    const title = make("title", {});
    title.textContent = a.label + " \u2192 " + b.label + ": " + e.weight + " event(s)";
    line.appendChild(title);
    svg.appendChild(line);
  });
  nodes.forEach((n) => {
    const link = make("a", { href: n.href });
    const circle = make("circle", { class: "node", cx: n.x, cy: n.y, r: radius(n) });
    const title = make("title", {});
    title.textContent = n.label + " (" + n.weight + " event(s))";
    circle.appendChild(title);
    const label = make("text", { x: n.x + 8, y: n.y + 4 });
    label.textContent = n.label;
    link.appendChild(circle);
    link.appendChild(label);
    svg.appendChild(link);
  });
  svg.dataset.rendered = String(nodes.length);
})();
