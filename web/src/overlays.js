// The layers drawn over the basemap: border sections by impact level,
// the polygons of the operational and analysis layers, and the markers of
// events, incidents, own assets and environmental information; a vessel's
// history, an event's evidence and an area being drawn.

import { mercX, mercY } from "./geo.js";
import { polygonShapes, intersects } from "./basemap.js";

const IMPACT_RANK = { low: 0, medium: 1, high: 2, very_high: 3, critical: 3 };
export const impactRank = (l) => IMPACT_RANK[l] ?? 0;

// sectionsLayer draws the border sections, filled and outlined in their
// impact level's colour, named when zoomed in.
export function sectionsLayer(state) {
  return {
    name: "sections",
    visible: true,
    draw(ctx, m) {
      const view = m.box(2);
      for (const s of state.sectionShapes) {
        const sec = state.sections.get(s.id);
        const level = sec ? sec.level : s.level;
        const colour = m.theme["lvl-" + level] || m.theme["lvl-low"];
        const px = 1 / m.scale;
        for (const p of s.shapes) {
          if (!intersects(p.box, view)) continue;
          m.worldTransform(ctx);
          ctx.globalAlpha = 0.18;
          ctx.fillStyle = colour;
          ctx.fill(p.path, "evenodd");
          ctx.globalAlpha = 0.9;
          ctx.strokeStyle = colour;
          ctx.lineWidth = 2 * px;
          ctx.stroke(p.path);
        }
        ctx.globalAlpha = 1;
        if (m.zoom >= 7 && s.label) {
          ctx.setTransform(m.dpr, 0, 0, m.dpr, 0, 0);
          ctx.font = "600 12px system-ui, sans-serif";
          ctx.fillStyle = colour;
          ctx.textAlign = "center";
          ctx.fillText(`${sec ? sec.name : s.id} · ${level}`, m.sx(s.label[0]), m.sy(s.label[1]));
        }
      }
    },
  };
}

// shapesOfSections turns GET /api/sections/geojson into drawable shapes.
export function shapesOfSections(fc) {
  return fc.features
    .filter((f) => f.geometry)
    .map((f) => {
      const shapes = polygonShapes([f.geometry]);
      let b = [Infinity, Infinity, -Infinity, -Infinity];
      for (const s of shapes) b = [Math.min(b[0], s.box[0]), Math.min(b[1], s.box[1]), Math.max(b[2], s.box[2]), Math.max(b[3], s.box[3])];
      return { id: f.id, level: f.properties.level, shapes, label: [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] };
    });
}

// The polygon each kind of layer record carries, if any.
export const POLYGON_OF = {
  area: (v) => v.polygon,
  operation: (v) => v.area,
  risk_product: (v) => v.area,
  imagery: (v) => v.footprint,
};
const COLOUR_OF = { area: "area", operation: "op", risk_product: "risk-area", imagery: "imagery" };

// itemPolygonsLayer draws the polygons of one kind of layer record.
export function itemPolygonsLayer(state, kind) {
  let cache = null, cacheFor = null;
  return {
    name: kind,
    visible: kind === "area" || kind === "operation",
    draw(ctx, m) {
      const items = state.items.get(kind);
      if (!items) return;
      if (cacheFor !== items.version) {
        cache = [];
        for (const it of items.values()) {
          const ring = POLYGON_OF[kind](it.value);
          if (!ring || ring.length < 3) continue;
          const shapes = polygonShapes([{ type: "Polygon", coordinates: [ring] }]);
          cache.push({ it, shapes });
        }
        cacheFor = items.version;
      }
      const colour = m.theme[COLOUR_OF[kind]];
      const px = 1 / m.scale;
      const view = m.box(2);
      for (const { it, shapes } of cache) {
        for (const s of shapes) {
          if (!intersects(s.box, view)) continue;
          m.worldTransform(ctx);
          ctx.globalAlpha = 0.1;
          ctx.fillStyle = colour;
          ctx.fill(s.path);
          ctx.globalAlpha = 1;
          ctx.strokeStyle = colour;
          ctx.lineWidth = 1.5 * px;
          ctx.setLineDash(kind === "area" && it.value.kind === "closed_area" ? [] : [6 * px, 4 * px]);
          ctx.stroke(s.path);
          ctx.setLineDash([]);
          if (m.zoom >= 7) {
            ctx.setTransform(m.dpr, 0, 0, m.dpr, 0, 0);
            ctx.font = "11px system-ui, sans-serif";
            ctx.fillStyle = colour;
            ctx.fillText(it.value.name || it.value.title || it.value.source || it.id, m.sx(s.box[0]) + 4, m.sy(s.box[1]) + 12);
          }
        }
      }
    },
  };
}

// markersLayer draws events, incidents, own assets without a live track
// and environmental information as markers.
export function markersLayer(name, list, style) {
  return {
    name,
    visible: true,
    draw(ctx, m) {
      const [x0, y0, x1, y1] = m.box(20);
      for (const o of list()) {
        if (o.lat === undefined || (o.lat === 0 && o.lon === 0)) continue;
        const x = mercX(o.lon), y = mercY(o.lat);
        if (x < x0 || x > x1 || y < y0 || y > y1) continue;
        style(ctx, m.sx(x), m.sy(y), o, m);
      }
    },
  };
}

export function eventMarker(ctx, x, y, ev, m, focused, acked) {
  const colour = m.theme["lvl-" + ev.impact] || m.theme.ev;
  const r = focused ? 11 : 8;
  ctx.beginPath();
  ctx.moveTo(x, y - r);
  ctx.lineTo(x + r, y + r * 0.8);
  ctx.lineTo(x - r, y + r * 0.8);
  ctx.closePath();
  ctx.globalAlpha = acked ? 0.35 : 0.9;
  ctx.lineWidth = 2;
  ctx.strokeStyle = colour;
  if (isOpen(ev)) {
    ctx.fillStyle = colour;
    ctx.globalAlpha = acked ? 0.2 : 0.35;
    ctx.fill();
    ctx.globalAlpha = acked ? 0.35 : 1;
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
}

export function incidentMarker(ctx, x, y, inc, m) {
  if (inc.status === "closed") return;
  const colour = m.theme["lvl-" + inc.impact] || m.theme.ev;
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2.5;
  ctx.strokeRect(x - 9, y - 9, 18, 18);
  if (m.zoom < 11) return;
  ctx.font = "bold 11px system-ui, sans-serif";
  ctx.fillStyle = colour;
  ctx.fillText(inc.id, x + 12, y - 10);
}

export function assetMarker(ctx, x, y, a, m) {
  ctx.fillStyle = m.theme.asset;
  ctx.strokeStyle = m.theme.edge;
  ctx.beginPath();
  ctx.arc(x, y, 6, 0, 2 * Math.PI);
  ctx.fill();
  ctx.stroke();
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = m.theme.label;
  ctx.fillText(a.name, x + 9, y + 4);
}

export function environmentMarker(ctx, x, y, e, m) {
  ctx.fillStyle = m.theme.imagery;
  ctx.beginPath();
  ctx.arc(x, y, 7, 0, 2 * Math.PI);
  ctx.fill();
  ctx.fillStyle = "#fff";
  ctx.font = "bold 10px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.fillText("i", x, y + 3.5);
  ctx.textAlign = "start";
}

// pathLayer draws a list of [lon, lat] as a line with dots: a vessel's
// history, an event's evidence, an area being drawn.
export function pathLayer(name, get, colourKey, closed = false) {
  return {
    name,
    visible: true,
    draw(ctx, m) {
      const pts = get();
      if (!pts || pts.length === 0) return;
      ctx.strokeStyle = m.theme[colourKey];
      ctx.fillStyle = m.theme[colourKey];
      ctx.lineWidth = 2;
      ctx.beginPath();
      pts.forEach(([lon, lat], i) => {
        const x = m.sx(mercX(lon)), y = m.sy(mercY(lat));
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      if (closed && pts.length > 2) ctx.closePath();
      ctx.stroke();
      for (const [lon, lat] of pts) {
        ctx.beginPath();
        ctx.arc(m.sx(mercX(lon)), m.sy(mercY(lat)), 2.5, 0, 2 * Math.PI);
        ctx.fill();
      }
    },
  };
}

// isOpen reports whether a detection is under way: the API writes the
// end of an open one as Go's zero time.
export function isOpen(ev) {
  return !ev.end || ev.end.startsWith("0001-");
}

// territorialLayer draws the states' territorial waters (land and the 12
// NM sea) as a thin line, fetched for the view when zoomed in far enough
// for it to mean something (GET /api/territorial-waters?bbox=).
export function territorialLayer(fetchFC, onLoad) {
  const shapes = new Map(); // area ID → shapes
  const covered = []; // boxes fetched, lon/lat
  let timer = 0;
  const within = (b, c) => b[0] >= c[0] && b[1] >= c[1] && b[2] <= c[2] && b[3] <= c[3];
  const want = (m) => {
    const b = m.bbox();
    if (covered.some((c) => within(b, c))) return;
    clearTimeout(timer);
    timer = setTimeout(async () => {
      // A margin of half a view each way, so that a pan needs no fetch.
      const w = (b[2] - b[0]) / 2, h = (b[3] - b[1]) / 2;
      const box = [Math.max(-180, b[0] - w), Math.max(-85, b[1] - h), Math.min(180, b[2] + w), Math.min(85, b[3] + h)];
      try {
        const fc = await fetchFC(box.map((v) => v.toFixed(3)).join(","));
        covered.push(box);
        for (const f of fc.features) if (!shapes.has(f.id)) shapes.set(f.id, polygonShapes([f.geometry]));
        onLoad();
      } catch (e) {
        console.warn("territorial waters", e);
      }
    }, 400);
  };
  return {
    name: "territorial",
    visible: true,
    draw(ctx, m) {
      if (m.zoom < 5) return;
      want(m);
      const view = m.box(2);
      const px = 1 / m.scale;
      m.worldTransform(ctx);
      ctx.strokeStyle = m.theme.tw;
      ctx.lineWidth = 1.2 * px;
      ctx.setLineDash([2 * px, 3 * px]);
      for (const list of shapes.values()) for (const s of list) if (intersects(s.box, view)) ctx.stroke(s.path);
    },
  };
}
