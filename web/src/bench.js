// A synthetic load for the browser test: n targets in and around the
// view, every one updated each second through the same path as the
// stream's (JSON text parsed and put into the picture), while the map
// redraws every frame as if panned. It answers the frame times.

export function bench(map, targets, n = 20000, seconds = 8, zoomedIn = false) {
  const [x0, y0, x1, y1] = map.box();
  const w = x1 - x0, hgt = y1 - y0;
  // Zoomed out: all n in view. Zoomed in: spread over 16 views, so that
  // about n/16 are drawn as full symbols.
  const k = zoomedIn ? 2 : 0.5;
  const base = 9e9;
  const sims = Array.from({ length: n }, (_, i) => ({
    id: base + i,
    x: x0 + w / 2 + (Math.random() - 0.5) * w * 2 * k,
    y: y0 + hgt / 2 + (Math.random() - 0.5) * hgt * 2 * k,
    cog: Math.random() * 360,
    sog: 2 + Math.random() * 30,
    kind: i % 97 === 0 ? "dark" : i % 3 === 0 ? "radar" : "ais",
  }));
  const lonOf = (x) => x * 360 - 180;
  const latOf = (y) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;
  const t0 = targets.latest || Date.now();
  let tick = 0;
  const ingestMs = [];
  const update = () => {
    const start = performance.now();
    const t = new Date(t0 + tick * 1000).toISOString();
    for (const s of sims) {
      const a = (s.cog * Math.PI) / 180;
      s.x += Math.sin(a) * s.sog * 1e-8;
      s.y -= Math.cos(a) * s.sog * 1e-8;
      const text = JSON.stringify({
        t, id: s.id, lat: latOf(s.y), lon: lonOf(s.x), sog: s.sog, cog: s.cog,
        mmsi: s.kind === "ais" ? 200000000 + (s.id % 1e8) : 0, dark: s.kind === "dark",
        sensors: s.kind === "ais" ? ["ais"] : ["radar"],
      });
      targets.upsert(JSON.parse(text));
    }
    tick++;
    ingestMs.push(performance.now() - start);
    map.dataChanged();
  };
  return new Promise((resolve) => {
    update();
    const timer = setInterval(update, 1000);
    const frames = [];
    const draws = [];
    let last = 0;
    map.onTopDrawn = (ms) => draws.push(ms);
    const end = performance.now() + seconds * 1000;
    let inView = 0;
    const frame = (now) => {
      inView = Math.max(inView, targets.visibleCount);
      if (last) frames.push(now - last);
      last = now;
      // Pan a pixel a frame: every frame redraws all layers.
      map.panBy(now % 2000 < 1000 ? 1 : -1, 0);
      if (now < end) requestAnimationFrame(frame);
      else {
        clearInterval(timer);
        map.onTopDrawn = null;
        for (const s of sims) targets.all.delete(s.id);
        map.dataChanged(true);
        resolve({
          targets: n,
          inView,
          seconds,
          frames: frames.length,
          frameMean: mean(frames),
          frameP95: pct(frames, 0.95),
          drawMean: mean(draws),
          drawP95: pct(draws, 0.95),
          baseMean: mean(map.stats.baseMs.slice(-frames.length)),
          ingestMean: mean(ingestMs),
        });
      }
    };
    requestAnimationFrame(frame);
  });
}

const mean = (a) => (a.length ? a.reduce((s, v) => s + v, 0) / a.length : 0);
const pct = (a, p) => (a.length ? [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))] : 0);
