import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as topojson from "topojson-client";
import { splitRing, splitLine, polygonsOf, formatLat, formatLon } from "../src/geo.js";

const span = (ring) => Math.max(...ring.map((p) => p[0])) - Math.min(...ring.map((p) => p[0]));
const inRange = (ring) => ring.every((p) => p[0] >= -180 && p[0] <= 180);

test("a ring across the antimeridian is cut in two", () => {
  const pieces = splitRing([[170, 60], [-170, 60], [-170, 70], [170, 70], [170, 60]]);
  assert.equal(pieces.length, 2);
  for (const r of pieces) {
    assert.ok(inRange(r), JSON.stringify(r));
    assert.ok(span(r) <= 10.0001, JSON.stringify(r));
  }
});

test("a ring away from the antimeridian is kept whole", () => {
  const ring = [[-6, 35.8], [-5.2, 35.8], [-5.2, 36.2], [-6, 35.8]];
  assert.deepEqual(splitRing(ring), [ring]);
});

test("a ring round the south pole is closed along it", () => {
  const ring = [];
  for (let lon = -180; lon < 180; lon += 30) ring.push([lon, -70]);
  ring.push([-180, -70]);
  const pieces = splitRing(ring);
  assert.ok(pieces.length >= 1);
  for (const r of pieces) {
    assert.ok(inRange(r));
    assert.ok(r.some((p) => p[1] === -90), "closed along the pole");
  }
});

test("a line across the antimeridian ends at ±180° and goes on", () => {
  const pieces = splitLine([[175, 0], [-175, 10]]);
  assert.deepEqual(pieces, [[[175, 0], [180, 5]], [[-180, 5], [-175, 10]]]);
});

test("no polygon of Natural Earth draws as a band", () => {
  for (const res of ["110m", "50m"]) {
    const topo = JSON.parse(readFileSync(new URL(`../node_modules/world-atlas/countries-${res}.json`, import.meta.url)));
    const fc = topojson.feature(topo, topo.objects.countries);
    let crossing = 0;
    for (const f of fc.features) {
      for (const poly of polygonsOf(f.geometry)) {
        const pieces = splitRing(poly[0]);
        if (pieces.length > 1) crossing++;
        for (const r of pieces) {
          assert.ok(inRange(r), `${f.properties.name} ${res}`);
          // A piece wider than half the world is a band, unless it is
          // the ring round the pole.
          if (!r.some((p) => Math.abs(p[1]) === 90)) assert.ok(span(r) < 180, `${f.properties.name} ${res}: ${span(r)}°`);
        }
      }
    }
    assert.ok(crossing >= 2, `${res}: ${crossing} polygons cross the antimeridian (Russia, Fiji at least)`);
  }
});

test("positions are written in degrees and minutes", () => {
  assert.equal(formatLat(36.0125), "36°00.75′ N");
  assert.equal(formatLon(-5.5), "005°30.00′ W");
});
