// The live targets: every track at its latest state with a short trail,
// drawn on the top canvas by source (AIS, radar only, satellite only,
// fused, dark, own asset), rotated by course, greyed when stale, and
// thinned to a density grid when too many are in view to read one by one
// (dark targets and the selection are always drawn in full).

import { mercX, mercY } from "./geo.js";

const TRAIL = 24; // positions kept per track
export const STALE_MS = 3 * 60 * 1000; // behind the picture's time
const FULL_SYMBOLS = 4000; // more in view than this: the density grid
const TRAILS_UNDER = 1500; // trails when fewer than this are in view

export const KINDS = ["ais", "radar", "satellite", "fused", "dark", "asset"];
export const KIND_LABEL = {
  ais: "AIS",
  radar: "radar only",
  satellite: "satellite only",
  fused: "fused (AIS + radar/satellite)",
  dark: "dark target",
  asset: "own asset",
};

export class Targets {
  constructor() {
    /** @type {Map<number, any>} */
    this.all = new Map();
    this.latest = 0; // the picture's time: the newest state seen, ms
    this.assetTracks = new Set();
    this.risk = new Map(); // track ID → highest risk score of its events
    this.selected = null;
    this.highlight = new Set();
    this.visibleCount = 0;
    this.replay = null; // set while replaying: { states(t) → targets }
  }

  clear() {
    this.all.clear();
    this.latest = 0;
  }

  // upsert takes a track state as the API writes it.
  upsert(s) {
    const t = Date.parse(s.t);
    let tr = this.all.get(s.id);
    if (!tr) {
      tr = { id: s.id, trail: new Float32Array(TRAIL * 2), trailN: 0, trailHead: 0 };
      this.all.set(s.id, tr);
    } else if (t < tr.time) {
      return tr; // an older state arrived late
    }
    const x = mercX(s.lon);
    const y = mercY(s.lat);
    if (tr.trailN === 0 || tr.x !== x || tr.y !== y) {
      tr.trail[tr.trailHead * 2] = x;
      tr.trail[tr.trailHead * 2 + 1] = y;
      tr.trailHead = (tr.trailHead + 1) % TRAIL;
      tr.trailN = Math.min(TRAIL, tr.trailN + 1);
    }
    tr.time = t;
    tr.lat = s.lat;
    tr.lon = s.lon;
    tr.x = x;
    tr.y = y;
    tr.sog = s.sog;
    tr.cog = s.cog;
    tr.mmsi = s.mmsi || 0;
    tr.name = s.name || "";
    tr.dark = !!s.dark;
    tr.sensors = s.sensors || [];
    tr.kind = kindOf(tr, this.assetTracks);
    if (t > this.latest) this.latest = t;
    return tr;
  }

  setAssetTracks(ids) {
    this.assetTracks = new Set(ids);
    for (const tr of this.all.values()) tr.kind = kindOf(tr, this.assetTracks);
  }

  stale(tr) {
    return (this.replay ? this.replay.t : this.latest) - tr.time > STALE_MS;
  }

  // pick finds the target nearest a point of the screen, within r pixels.
  pick(m, px, py, r = 10) {
    let best = null;
    let bd = r * r;
    const list = this.replay ? this.replay.at : this.all.values();
    for (const tr of list) {
      const dx = m.sx(tr.x) - px, dy = m.sy(tr.y) - py;
      const d = dx * dx + dy * dy;
      if (d < bd) {
        bd = d;
        best = tr;
      }
    }
    return best;
  }

  find(query) {
    const q = query.trim().toUpperCase();
    if (!q) return [];
    const out = [];
    for (const tr of this.all.values()) {
      if (String(tr.mmsi) === q || String(tr.id) === q || (tr.name && tr.name.toUpperCase().includes(q))) out.push(tr);
      if (out.length >= 20) break;
    }
    return out;
  }

  layer() {
    return { name: "targets", draw: (ctx, m) => this.draw(ctx, m) };
  }

  draw(ctx, m) {
    const theme = m.theme;
    const [x0, y0, x1, y1] = m.box(12);
    const list = this.replay ? this.replay.at : this.all.values();
    const vis = [];
    for (const tr of list) {
      if (tr.x >= x0 && tr.x <= x1 && tr.y >= y0 && tr.y <= y1) vis.push(tr);
    }
    this.visibleCount = vis.length;
    const S = m.scale, ox = m.W / 2 - m.cx * S, oy = m.H / 2 - m.cy * S;
    const full = vis.length <= FULL_SYMBOLS;
    if (vis.length <= TRAILS_UNDER) this.drawTrails(ctx, vis, S, ox, oy, theme);
    if (full) {
      this.drawSymbols(ctx, vis, S, ox, oy, theme);
    } else {
      this.drawGrid(ctx, vis, m, S, ox, oy, theme);
      // What must never be lost in a crowd.
      const keep = vis.filter((tr) => tr.kind === "dark" || tr.kind === "asset" || tr === this.selected || this.highlight.has(tr.id));
      this.drawSymbols(ctx, keep, S, ox, oy, theme);
    }
    if (this.selected && this.all.has(this.selected.id)) {
      const tr = this.replay ? this.replay.at.find((t) => t.id === this.selected.id) : this.selected;
      if (tr) {
        ctx.strokeStyle = theme.select;
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(tr.x * S + ox, tr.y * S + oy, 13, 0, 2 * Math.PI);
        ctx.stroke();
      }
    }
    if (vis.length <= 300 && m.zoom >= 10) this.drawLabels(ctx, vis, S, ox, oy, theme);
  }

  drawTrails(ctx, vis, S, ox, oy, theme) {
    ctx.lineWidth = 1;
    ctx.strokeStyle = theme.trail;
    ctx.beginPath();
    for (const tr of vis) {
      if (tr.trailN < 2) continue;
      let i = (tr.trailHead - tr.trailN + TRAIL) % TRAIL;
      ctx.moveTo(tr.trail[i * 2] * S + ox, tr.trail[i * 2 + 1] * S + oy);
      for (let k = 1; k < tr.trailN; k++) {
        i = (i + 1) % TRAIL;
        ctx.lineTo(tr.trail[i * 2] * S + ox, tr.trail[i * 2 + 1] * S + oy);
      }
    }
    ctx.stroke();
  }

  // drawSymbols draws each kind in one path, so that 20,000 targets are
  // a dozen fills rather than 20,000.
  drawSymbols(ctx, vis, S, ox, oy, theme) {
    const groups = {};
    for (const tr of vis) {
      const key = this.stale(tr) ? "stale" : tr.kind;
      (groups[key] ||= []).push(tr);
    }
    for (const key of ["stale", "satellite", "radar", "ais", "fused", "asset", "dark"]) {
      const g = groups[key];
      if (!g) continue;
      const kind = key;
      ctx.beginPath();
      for (const tr of g) {
        const x = tr.x * S + ox, y = tr.y * S + oy;
        const risk = this.risk.get(tr.id) || 0;
        symbolPath(ctx, key === "stale" ? tr.kind : kind, x, y, tr.cog, tr.sog, risk >= 0.5 ? 1.35 : 1);
      }
      ctx.fillStyle = key === "stale" ? theme.stale : theme[kind];
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = key === "stale" ? theme.staleEdge : theme.edge;
      ctx.stroke();
    }
    // Risk: a ring round each target whose events carry a high score.
    ctx.beginPath();
    for (const tr of vis) {
      if ((this.risk.get(tr.id) || 0) >= 0.5 || this.highlight.has(tr.id)) {
        const x = tr.x * S + ox, y = tr.y * S + oy;
        ctx.moveTo(x + 10, y);
        ctx.arc(x, y, 10, 0, 2 * Math.PI);
      }
    }
    ctx.strokeStyle = theme.risk;
    ctx.lineWidth = 2;
    ctx.stroke();
  }

  // drawGrid draws one dot per 5-pixel cell that holds targets, in the
  // colour of its most telling kind, sized by how many.
  drawGrid(ctx, vis, m, S, ox, oy, theme) {
    const cell = 5;
    const cols = Math.ceil(m.W / cell) + 6, rows = Math.ceil(m.H / cell) + 6;
    const count = new Uint16Array(cols * rows);
    const rank = new Uint8Array(cols * rows);
    const order = { stale: 1, satellite: 2, radar: 3, ais: 4, fused: 5, asset: 6, dark: 7 };
    for (const tr of vis) {
      const c = Math.floor((tr.x * S + ox) / cell) + 3, r = Math.floor((tr.y * S + oy) / cell) + 3;
      if (c < 0 || r < 0 || c >= cols || r >= rows) continue;
      const i = r * cols + c;
      if (count[i] < 65535) count[i]++;
      const k = order[this.stale(tr) ? "stale" : tr.kind];
      if (k > rank[i]) rank[i] = k;
    }
    const names = ["", "stale", "satellite", "radar", "ais", "fused", "asset", "dark"];
    for (let k = 1; k < names.length; k++) {
      ctx.beginPath();
      for (let i = 0; i < count.length; i++) {
        if (rank[i] !== k) continue;
        const s = count[i] > 8 ? 4 : count[i] > 2 ? 3 : 2;
        ctx.rect(((i % cols) - 3) * cell + (cell - s) / 2, (Math.floor(i / cols) - 3) * cell + (cell - s) / 2, s, s);
      }
      ctx.fillStyle = names[k] === "stale" ? theme.stale : theme[names[k]];
      ctx.fill();
    }
  }

  drawLabels(ctx, vis, S, ox, oy, theme) {
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillStyle = theme.label;
    ctx.textBaseline = "middle";
    for (const tr of vis) {
      const label = tr.name || (tr.mmsi ? String(tr.mmsi) : "");
      if (label) ctx.fillText(label, tr.x * S + ox + 12, tr.y * S + oy);
    }
  }
}

function kindOf(tr, assets) {
  const s = tr.sensors;
  if (assets.has(tr.id) || s.includes("asset")) return "asset";
  if (tr.dark) return "dark";
  const ais = s.includes("ais");
  const other = s.includes("radar") || s.includes("satellite");
  if (ais && other) return "fused";
  if (ais) return "ais";
  if (s.includes("radar")) return "radar";
  if (s.includes("satellite")) return "satellite";
  return "ais";
}

// symbolPath adds one target's symbol, rotated by its course, to the
// current path. A target that does not move is drawn as a circle-ish
// polygon: its course means nothing.
export function symbolPath(ctx, kind, x, y, cog, sog, k = 1) {
  const a = ((cog || 0) * Math.PI) / 180;
  const sin = Math.sin(a), cos = Math.cos(a);
  const pts = SHAPES[kind] || SHAPES.ais;
  const moving = sog > 0.5 || kind === "dark";
  const shape = moving ? pts : STILL[kind] || STILL.ais;
  for (let i = 0; i < shape.length; i += 2) {
    const px = shape[i] * k, py = shape[i + 1] * k;
    // North up, clockwise course: rotate (px, py) by a.
    const rx = x + px * cos - py * sin, ry = y + px * sin + py * cos;
    if (i === 0) ctx.moveTo(rx, ry);
    else ctx.lineTo(rx, ry);
  }
  ctx.closePath();
}

// Symbols in pixels, pointing north (negative y).
const SHAPES = {
  ais: [0, -8, 4.5, 6, 0, 3.5, -4.5, 6], // arrowhead
  fused: [0, -9, 5, 6, -5, 6], // full triangle
  radar: [0, -7, 5, 0, 0, 7, -5, 0], // diamond
  satellite: [-4.5, -4.5, 4.5, -4.5, 4.5, 4.5, -4.5, 4.5], // square
  dark: [0, -11, 6.5, 8, 0, 4, -6.5, 8], // large arrowhead
  asset: [0, -10, 6, -2, 6, 8, -6, 8, -6, -2], // house-shaped pentagon
};
const STILL = {
  ais: octagon(4),
  fused: octagon(5),
  radar: [0, -6, 6, 0, 0, 6, -6, 0],
  satellite: SHAPES.satellite,
  asset: SHAPES.asset,
};

function octagon(r) {
  const out = [];
  for (let i = 0; i < 8; i++) out.push(r * Math.cos((i * Math.PI) / 4 + Math.PI / 8), r * Math.sin((i * Math.PI) / 4 + Math.PI / 8));
  return out;
}

// legendSymbol draws a kind's symbol on a small canvas for the legend.
export function legendSymbol(canvas, kind, theme) {
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.beginPath();
  symbolPath(ctx, kind, canvas.width / 2, canvas.height / 2, 45, 10);
  ctx.fillStyle = theme[kind];
  ctx.fill();
  ctx.strokeStyle = theme.edge;
  ctx.stroke();
}
