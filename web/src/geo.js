// Geometry for the map: Web Mercator in world units (the whole world is
// the unit square, x east, y south), and the cutting of Natural Earth's
// rings and lines at the antimeridian so that nothing drawn on a flat map
// runs as a band across the world.

export const MAX_LAT = 85.05112878;

/** @returns {number} x of a longitude in world units, 0 at -180°, 1 at 180° */
export function mercX(lon) {
  return (lon + 180) / 360;
}

/** @returns {number} y of a latitude in world units, 0 at the top */
export function mercY(lat) {
  const φ = (Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180;
  return (1 - Math.log(Math.tan(Math.PI / 4 + φ / 2)) / Math.PI) / 2;
}

export function lonOf(x) {
  return x * 360 - 180;
}

export function latOf(y) {
  return (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;
}

// unwrap makes a ring's or line's longitudes continuous: a step of more
// than 180° is taken as a crossing of the antimeridian, so the points
// after it run on past ±180°.
function unwrap(points) {
  const out = [];
  let offset = 0;
  for (let i = 0; i < points.length; i++) {
    const [lon, lat] = points[i];
    if (i > 0) {
      const d = lon - points[i - 1][0];
      if (d > 180) offset -= 360;
      else if (d < -180) offset += 360;
    }
    out.push([lon + offset, lat]);
  }
  return out;
}

// clipX keeps the part of a ring on one side of the meridian x = at
// (keep > 0: east of it; keep < 0: west), Sutherland–Hodgman style.
function clipX(ring, at, keep) {
  const out = [];
  const inside = (p) => (keep > 0 ? p[0] >= at : p[0] <= at);
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    const ina = inside(a);
    const inb = inside(b);
    if (ina) out.push(a);
    if (ina !== inb) {
      const t = (at - a[0]) / (b[0] - a[0]);
      out.push([at, a[1] + t * (b[1] - a[1])]);
    }
  }
  return out;
}

/**
 * Cuts a polygon ring ([lon, lat] points) at the antimeridian.
 * A ring around a pole (Antarctica) is closed along the pole.
 * @returns {number[][][]} the ring's pieces, each within -180°…180°
 */
export function splitRing(ring) {
  if (ring.length < 3) return [];
  let u = unwrap(ring);
  const gap = u[u.length - 1][0] - u[0][0];
  if (Math.abs(gap) > 180) {
    // The ring goes once round the world: close it along the pole it
    // encircles.
    const pole = u.reduce((s, p) => s + p[1], 0) < 0 ? -90 : 90;
    u = u.concat([[u[u.length - 1][0], pole], [u[0][0], pole]]);
  }
  let min = Infinity;
  let max = -Infinity;
  for (const p of u) {
    if (p[0] < min) min = p[0];
    if (p[0] > max) max = p[0];
  }
  const pieces = [];
  for (let k = Math.floor((min + 180) / 360); k <= Math.floor((max + 180) / 360); k++) {
    const shift = k * 360;
    let r = shift === 0 ? u : u.map((p) => [p[0] - shift, p[1]]);
    if (min - shift < -180) r = clipX(r, -180, 1);
    if (max - shift > 180) r = clipX(r, 180, -1);
    if (r.length >= 3) pieces.push(r);
  }
  return pieces;
}

/**
 * Cuts a line at the antimeridian, ending it at ±180° and starting it
 * again on the other side.
 * @returns {number[][][]}
 */
export function splitLine(line) {
  const pieces = [];
  let cur = [];
  for (let i = 0; i < line.length; i++) {
    const p = line[i];
    if (i > 0) {
      const q = line[i - 1];
      const d = p[0] - q[0];
      if (Math.abs(d) > 180) {
        const edge = d < 0 ? 180 : -180; // q's side
        const pu = p[0] + (d < 0 ? 360 : -360);
        const t = (edge - q[0]) / (pu - q[0]);
        const lat = q[1] + t * (p[1] - q[1]);
        cur.push([edge, lat]);
        if (cur.length >= 2) pieces.push(cur);
        cur = [[-edge, lat]];
      }
    }
    cur.push(p);
  }
  if (cur.length >= 2) pieces.push(cur);
  return pieces;
}

// project turns [lon, lat] points into a flat array of world x, y and
// their bounding box.
export function project(points) {
  const xy = new Float64Array(points.length * 2);
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < points.length; i++) {
    const x = mercX(points[i][0]);
    const y = mercY(points[i][1]);
    xy[2 * i] = x;
    xy[2 * i + 1] = y;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return { xy, box: [x0, y0, x1, y1] };
}

// Polygons of a GeoJSON geometry (Polygon or MultiPolygon), each a list
// of rings.
export function polygonsOf(geometry) {
  if (!geometry) return [];
  if (geometry.type === "Polygon") return [geometry.coordinates];
  if (geometry.type === "MultiPolygon") return geometry.coordinates;
  return [];
}

// Lines of a GeoJSON geometry (LineString or MultiLineString).
export function linesOf(geometry) {
  if (!geometry) return [];
  if (geometry.type === "LineString") return [geometry.coordinates];
  if (geometry.type === "MultiLineString") return geometry.coordinates;
  return [];
}

/** @returns {number} metres between two points (haversine) */
export function distance(lat1, lon1, lat2, lon2) {
  const r = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}

// formatLat and formatLon write degrees and decimal minutes, as on a
// chart.
export function formatLat(lat) {
  return dm(Math.abs(lat), 2) + (lat < 0 ? " S" : " N");
}

export function formatLon(lon) {
  return dm(Math.abs(lon), 3) + (lon < 0 ? " W" : " E");
}

function dm(v, width) {
  let d = Math.floor(v);
  let m = (v - d) * 60;
  if (m >= 59.995) {
    d++;
    m = 0;
  }
  return String(d).padStart(width, "0") + "°" + m.toFixed(2).padStart(5, "0") + "′";
}
