// Replay of the last hour: the stored history of the tracks in view
// (GET /api/tracks/{id}/history), drawn at the slider's time with their
// trails, while the live picture goes on underneath.

import * as API from "./api.js";
import { $ } from "./dom.js";
import { mercX, mercY } from "./geo.js";

const WINDOW_MS = 3600e3;
const MAX_TRACKS = 300; // histories fetched; the most telling first
const GAP_MS = 10 * 60e3; // a track not heard for this long is not drawn
const TRAIL = 24;

export class Replay {
  constructor(map, targets) {
    this.map = map;
    this.targets = targets;
    this.active = false;
    this.playing = false;
    this.tracks = [];
    this.from = 0;
    this.to = 0;
    this.t = 0;
    const slider = $("replay-time");
    slider.addEventListener("input", () => this.seek(this.from + (+slider.value) * 1000));
    $("replay-play").addEventListener("click", () => this.toggle());
    $("replay-live").addEventListener("click", () => this.stop());
  }

  async start() {
    const t = this.targets;
    this.to = t.latest || Date.now();
    this.from = this.to - WINDOW_MS;
    const [x0, y0, x1, y1] = this.map.box();
    const score = (tr) => (tr === t.selected ? 4 : 0) + (tr.kind === "dark" ? 3 : 0) + (t.risk.get(tr.id) || 0) * 2 + (tr.kind === "asset" ? 1 : 0);
    const cands = [...t.all.values()]
      .filter((tr) => tr.x >= x0 && tr.x <= x1 && tr.y >= y0 && tr.y <= y1)
      .sort((a, b) => score(b) - score(a))
      .slice(0, MAX_TRACKS);
    $("replay").hidden = false;
    $("btn-replay").setAttribute("aria-pressed", "true");
    $("replay-label").textContent = `loading ${cands.length} histories…`;
    const iso = (ms) => new Date(ms).toISOString().slice(0, 19) + "Z";
    const out = [];
    let next = 0;
    const worker = async () => {
      while (next < cands.length) {
        const tr = cands[next++];
        const hist = await API.get(`/api/tracks/${tr.id}/history?from=${iso(this.from)}&to=${iso(this.to)}`);
        if (hist.length) {
          out.push({
            live: tr,
            ts: Float64Array.from(hist, (s) => Date.parse(s.t)),
            xs: Float64Array.from(hist, (s) => mercX(s.lon)),
            ys: Float64Array.from(hist, (s) => mercY(s.lat)),
            states: hist,
          });
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    this.tracks = out;
    this.active = true;
    const slider = $("replay-time");
    slider.max = String(WINDOW_MS / 1000);
    this.seek(this.from);
    return out.length;
  }

  stop() {
    this.active = false;
    this.playing = false;
    this.targets.replay = null;
    $("replay").hidden = true;
    $("btn-replay").setAttribute("aria-pressed", "false");
    this.map.dataChanged(true);
  }

  toggle() {
    this.playing = !this.playing;
    $("replay-play").textContent = this.playing ? "❚❚" : "▶";
    let last = performance.now();
    const step = (now) => {
      if (!this.playing || !this.active) return;
      const speed = +$("replay-speed").value;
      this.seek(Math.min(this.to, this.t + (now - last) * speed));
      last = now;
      if (this.t >= this.to) this.toggle();
      else requestAnimationFrame(step);
    };
    if (this.playing) requestAnimationFrame(step);
  }

  // seek shows the picture at time t: each track at its state then,
  // moved on along its path to the next state.
  seek(t) {
    this.t = t;
    const at = [];
    for (const r of this.tracks) {
      const i = upper(r.ts, t) - 1;
      if (i < 0 || t - r.ts[i] > GAP_MS) continue;
      let x = r.xs[i], y = r.ys[i];
      if (i + 1 < r.ts.length) {
        const f = (t - r.ts[i]) / (r.ts[i + 1] - r.ts[i]);
        x += (r.xs[i + 1] - x) * f;
        y += (r.ys[i + 1] - y) * f;
      }
      const s = r.states[i];
      const n = Math.min(TRAIL, i + 1);
      const trail = new Float32Array(TRAIL * 2);
      for (let k = 0; k < n; k++) {
        trail[k * 2] = r.xs[i - n + 1 + k];
        trail[k * 2 + 1] = r.ys[i - n + 1 + k];
      }
      at.push({ ...r.live, x, y, lat: s.lat, lon: s.lon, sog: s.sog, cog: s.cog, time: r.ts[i], trail, trailN: n, trailHead: n % TRAIL });
    }
    this.targets.replay = { at, t };
    $("replay-time").value = String(Math.round((t - this.from) / 1000));
    $("replay-label").textContent = `${new Date(t).toISOString().slice(11, 19)}Z · ${at.length} of ${this.tracks.length} tracks`;
    this.map.dataChanged(true);
  }
}

// upper returns the index of the first element of a sorted array above v.
function upper(a, v) {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
