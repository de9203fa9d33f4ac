// The offline basemap: Natural Earth countries from npm world-atlas
// (TopoJSON, shipped in the bundle), in three levels of detail, cut at
// the antimeridian and projected once; land filled, coasts and borders
// stroked, only what the view holds.

import { feature, mesh } from "topojson-client";
import { splitRing, splitLine, polygonsOf, linesOf, project } from "./geo.js";

const levels = [
  { res: "110m", maxZoom: 3 },
  { res: "50m", maxZoom: 6 },
  { res: "10m", maxZoom: Infinity },
];

// shapes turns GeoJSON polygons into projected, cut rings with Path2Ds in
// world units.
export function polygonShapes(geometries) {
  const out = [];
  for (const g of geometries) {
    for (const poly of polygonsOf(g)) {
      // Holes are cut like outer rings and drawn with the even-odd rule.
      const path = new Path2D();
      let box = [Infinity, Infinity, -Infinity, -Infinity];
      for (const ring of poly) {
        for (const piece of splitRing(ring)) {
          const p = project(piece);
          addPath(path, p.xy, true);
          box = union(box, p.box);
        }
      }
      if (box[0] !== Infinity) out.push({ path, box });
    }
  }
  return out;
}

export function lineShapes(geometries) {
  const out = [];
  for (const g of geometries) {
    for (const line of linesOf(g)) {
      for (const piece of splitLine(line)) {
        const p = project(piece);
        const path = new Path2D();
        addPath(path, p.xy, false);
        out.push({ path, box: p.box });
      }
    }
  }
  return out;
}

function addPath(path, xy, close) {
  path.moveTo(xy[0], xy[1]);
  for (let i = 2; i < xy.length; i += 2) path.lineTo(xy[i], xy[i + 1]);
  if (close) path.closePath();
}

function union(a, b) {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

export function intersects(a, b) {
  return a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];
}

export function basemapLayer(onLoad) {
  const loaded = {};
  const loading = {};
  async function load(res) {
    loading[res] = true;
    const resp = await fetch(`/ui/geo/countries-${res}.json`);
    const topo = await resp.json();
    const countries = topo.objects.countries;
    loaded[res] = {
      land: polygonShapes(feature(topo, countries).features.map((f) => f.geometry)),
      coast: lineShapes([mesh(topo, countries, (a, b) => a === b)]),
      borders: lineShapes([mesh(topo, countries, (a, b) => a !== b)]),
    };
    onLoad(res);
  }
  const layer = {
    name: "basemap",
    level: null,
    draw(ctx, m) {
      let want = levels.find((l) => m.zoom < l.maxZoom).res;
      // The 50m level comes first whatever the zoom: it is small, and
      // stands in while the 10m one (3.6 MB) loads.
      for (const res of new Set(["50m", want])) {
        if (!loaded[res] && !loading[res]) load(res).catch((e) => console.warn("basemap", res, e));
      }
      // Until a finer level arrives, draw the best one there is.
      if (!loaded[want]) want = ["50m", "110m", "10m"].find((r) => loaded[r]);
      if (!want) return;
      layer.level = want;
      const d = loaded[want];
      const view = m.box(2);
      m.worldTransform(ctx);
      const px = 1 / m.scale;
      ctx.fillStyle = m.theme.land;
      for (const s of d.land) if (intersects(s.box, view)) ctx.fill(s.path, "evenodd");
      ctx.lineJoin = "round";
      ctx.strokeStyle = m.theme.coast;
      ctx.lineWidth = px;
      for (const s of d.coast) if (intersects(s.box, view)) ctx.stroke(s.path);
      ctx.strokeStyle = m.theme.border;
      ctx.setLineDash([4 * px, 3 * px]);
      for (const s of d.borders) if (intersects(s.box, view)) ctx.stroke(s.path);
    },
  };
  return layer;
}
