// The map: a Web Mercator view over two canvases — the base (land,
// borders, sections, areas, graticule), drawn when the view or its data
// change, and the top (targets, events, the selection, a drawing), drawn
// up to every frame — with pan, zoom, the scale and the position under
// the cursor.

import { mercX, mercY, lonOf, latOf, formatLat, formatLon } from "./geo.js";

const MIN_ZOOM = 1.5;
const MAX_ZOOM = 15;

export class MapView {
  /**
   * @param {HTMLElement} el the map's container
   */
  constructor(el) {
    this.el = el;
    this.base = document.createElement("canvas");
    this.top = document.createElement("canvas");
    this.base.className = "map-base";
    this.top.className = "map-top";
    el.append(this.base, this.top);
    this.bctx = this.base.getContext("2d");
    this.tctx = this.top.getContext("2d");
    this.cx = mercX(-5.4);
    this.cy = mercY(36);
    this.zoom = 8;
    this.W = 0;
    this.H = 0;
    this.dpr = 1;
    /** @type {{draw: (ctx: CanvasRenderingContext2D, m: MapView) => void, visible?: boolean}[]} */
    this.baseLayers = [];
    this.topLayers = [];
    this.baseDirty = true;
    this.topDirty = true;
    this.lastTop = 0;
    this.topInterval = 250; // ms between redraws for data alone
    this.listeners = { view: [], click: [], move: [] };
    this.stats = { frames: 0, topMs: [], baseMs: [] };
    this.theme = {};
    this.interacting = 0;
    this.resize();
    new ResizeObserver(() => this.resize()).observe(el);
    this.bindInput();
    const loop = (now) => {
      this.frame(now);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  }

  get scale() {
    return 256 * 2 ** this.zoom;
  }

  on(name, f) {
    this.listeners[name].push(f);
  }

  emit(name, ...args) {
    for (const f of this.listeners[name]) f(...args);
  }

  resize() {
    const r = this.el.getBoundingClientRect();
    this.W = Math.max(1, r.width);
    this.H = Math.max(1, r.height);
    // A wall display's pixels are many already: past 2 they cost more
    // than they show.
    this.dpr = Math.min(2, window.devicePixelRatio || 1);
    for (const c of [this.base, this.top]) {
      c.width = Math.round(this.W * this.dpr);
      c.height = Math.round(this.H * this.dpr);
      c.style.width = this.W + "px";
      c.style.height = this.H + "px";
    }
    this.changed();
  }

  // changed redraws both canvases at the next frame.
  changed() {
    this.baseDirty = true;
    this.topDirty = true;
    this.topNow = true;
    this.emit("view", this);
  }

  // dataChanged redraws the top canvas soon (at most every topInterval
  // ms: data arrive all the time, and a picture updated four times a
  // second is as live as an eye needs); now: at the next frame.
  dataChanged(now = false) {
    this.topDirty = true;
    if (now) this.topNow = true;
  }

  baseChanged() {
    this.baseDirty = true;
  }

  frame(now) {
    if (this.baseDirty) {
      const t0 = performance.now();
      this.baseDirty = false;
      this.drawLayers(this.bctx, this.baseLayers, true);
      this.stats.baseMs.push(performance.now() - t0);
    }
    if (this.topDirty && (this.topNow || now - this.lastTop >= this.topInterval)) {
      const t0 = performance.now();
      this.topDirty = false;
      this.topNow = false;
      this.lastTop = now;
      this.drawLayers(this.tctx, this.topLayers, false);
      const ms = performance.now() - t0;
      this.stats.topMs.push(ms);
      if (this.onTopDrawn) this.onTopDrawn(ms);
      this.stats.frames++;
      if (this.stats.topMs.length > 600) this.stats.topMs.splice(0, 300);
      if (this.stats.baseMs.length > 600) this.stats.baseMs.splice(0, 300);
    }
  }

  drawLayers(ctx, layers, base) {
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    if (base) {
      ctx.fillStyle = this.theme.sea || "#aac";
      ctx.fillRect(0, 0, this.W, this.H);
    } else {
      ctx.clearRect(0, 0, this.W, this.H);
    }
    for (const l of layers) {
      if (l.visible === false) continue;
      ctx.save();
      l.draw(ctx, this);
      ctx.restore();
    }
  }

  // worldTransform sets ctx to draw in world units.
  worldTransform(ctx) {
    const s = this.scale * this.dpr;
    ctx.setTransform(s, 0, 0, s, this.dpr * (this.W / 2 - this.cx * this.scale), this.dpr * (this.H / 2 - this.cy * this.scale));
  }

  sx(x) {
    return (x - this.cx) * this.scale + this.W / 2;
  }

  sy(y) {
    return (y - this.cy) * this.scale + this.H / 2;
  }

  worldAt(px, py) {
    return [this.cx + (px - this.W / 2) / this.scale, this.cy + (py - this.H / 2) / this.scale];
  }

  lonLatAt(px, py) {
    const [x, y] = this.worldAt(px, py);
    return [lonOf(x), latOf(y)];
  }

  // box is the view in world units: x0, y0, x1, y1.
  box(margin = 0) {
    const [x0, y0] = this.worldAt(-margin, -margin);
    const [x1, y1] = this.worldAt(this.W + margin, this.H + margin);
    return [x0, y0, x1, y1];
  }

  // bbox is the view as min lon, min lat, max lon, max lat.
  bbox() {
    const [x0, y0, x1, y1] = this.box();
    return [lonOf(Math.max(0, x0)), latOf(Math.min(1, y1)), lonOf(Math.min(1, x1)), latOf(Math.max(0, y0))];
  }

  setView(lon, lat, zoom) {
    this.cx = mercX(lon);
    this.cy = mercY(lat);
    if (zoom !== undefined) this.zoom = clamp(zoom, MIN_ZOOM, MAX_ZOOM);
    this.clampCentre();
    this.changed();
  }

  // fit shows a box of lon/lat with a margin, zoomed in no further than
  // maxZoom.
  fit(lon0, lat0, lon1, lat1, maxZoom = 12) {
    const x0 = mercX(lon0), x1 = mercX(lon1), y0 = mercY(lat1), y1 = mercY(lat0);
    const zx = Math.log2((this.W * 0.8) / Math.max(1e-9, x1 - x0) / 256);
    const zy = Math.log2((this.H * 0.8) / Math.max(1e-9, y1 - y0) / 256);
    this.cx = (x0 + x1) / 2;
    this.cy = (y0 + y1) / 2;
    this.zoom = clamp(Math.min(zx, zy, maxZoom), MIN_ZOOM, MAX_ZOOM);
    this.clampCentre();
    this.changed();
  }

  zoomAt(px, py, dz) {
    const [wx, wy] = this.worldAt(px, py);
    this.zoom = clamp(this.zoom + dz, MIN_ZOOM, MAX_ZOOM);
    this.cx = wx - (px - this.W / 2) / this.scale;
    this.cy = wy - (py - this.H / 2) / this.scale;
    this.clampCentre();
    this.changed();
  }

  panBy(dx, dy) {
    this.cx -= dx / this.scale;
    this.cy -= dy / this.scale;
    this.clampCentre();
    this.changed();
  }

  clampCentre() {
    this.cx = clamp(this.cx, 0, 1);
    this.cy = clamp(this.cy, 0, 1);
  }

  // metresPerPixel at the centre of the view.
  metresPerPixel() {
    return (40075016.686 * Math.cos((latOf(this.cy) * Math.PI) / 180)) / this.scale;
  }

  bindInput() {
    const el = this.top;
    let drag = null;
    el.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      el.setPointerCapture(e.pointerId);
      drag = { x: e.offsetX, y: e.offsetY, x0: e.offsetX, y0: e.offsetY, moved: false };
    });
    el.addEventListener("pointermove", (e) => {
      if (drag) {
        const dx = e.offsetX - drag.x, dy = e.offsetY - drag.y;
        if (drag.moved || Math.abs(e.offsetX - drag.x0) + Math.abs(e.offsetY - drag.y0) > 4) {
          drag.moved = true;
          this.panBy(dx, dy);
        }
        drag.x = e.offsetX;
        drag.y = e.offsetY;
      }
      this.emit("move", e.offsetX, e.offsetY, ...this.lonLatAt(e.offsetX, e.offsetY));
    });
    el.addEventListener("pointerup", (e) => {
      if (drag && !drag.moved) this.emit("click", e.offsetX, e.offsetY, ...this.lonLatAt(e.offsetX, e.offsetY), e);
      drag = null;
    });
    el.addEventListener("pointercancel", () => (drag = null));
    el.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        const dz = -Math.sign(e.deltaY) * Math.min(1, Math.abs(e.deltaY) / 200 + 0.25);
        this.zoomAt(e.offsetX, e.offsetY, dz);
      },
      { passive: false },
    );
    el.addEventListener("dblclick", (e) => this.drawing || this.zoomAt(e.offsetX, e.offsetY, 1));
    el.tabIndex = 0;
    el.addEventListener("keydown", (e) => {
      const step = 100;
      const k = {
        ArrowLeft: () => this.panBy(step, 0),
        ArrowRight: () => this.panBy(-step, 0),
        ArrowUp: () => this.panBy(0, step),
        ArrowDown: () => this.panBy(0, -step),
        "+": () => this.zoomAt(this.W / 2, this.H / 2, 1),
        "=": () => this.zoomAt(this.W / 2, this.H / 2, 1),
        "-": () => this.zoomAt(this.W / 2, this.H / 2, -1),
      }[e.key];
      if (k) {
        e.preventDefault();
        k();
      }
    });
  }
}

export function clamp(v, lo, hi) {
  return Math.max(lo, Math.min(hi, v));
}

// graticuleLayer draws meridians and parallels at a step that suits the
// zoom, labelled at the edges.
export function graticuleLayer() {
  return {
    name: "graticule",
    draw(ctx, m) {
      const [lon0, lat0, lon1, lat1] = m.bbox();
      const span = Math.max(lon1 - lon0, 1e-6);
      const steps = [30, 20, 10, 5, 2, 1, 0.5, 0.25, 1 / 6, 1 / 12, 1 / 30, 1 / 60];
      let step = steps[0];
      for (const s of steps) if (span / s <= 12) step = s;
      ctx.strokeStyle = m.theme.graticule;
      ctx.fillStyle = m.theme.graticuleText;
      ctx.lineWidth = 1;
      ctx.font = "11px system-ui, sans-serif";
      ctx.beginPath();
      for (let lon = Math.ceil(lon0 / step) * step; lon <= lon1; lon += step) {
        const x = Math.round(m.sx(mercX(lon))) + 0.5;
        ctx.moveTo(x, 0);
        ctx.lineTo(x, m.H);
      }
      for (let lat = Math.ceil(lat0 / step) * step; lat <= lat1; lat += step) {
        const y = Math.round(m.sy(mercY(lat))) + 0.5;
        ctx.moveTo(0, y);
        ctx.lineTo(m.W, y);
      }
      ctx.stroke();
      ctx.textBaseline = "top";
      for (let lon = Math.ceil(lon0 / step) * step; lon <= lon1; lon += step) {
        ctx.fillText(formatLon(lon).replace(".00′", "′"), m.sx(mercX(lon)) + 3, 3);
      }
      ctx.textBaseline = "bottom";
      for (let lat = Math.ceil(lat0 / step) * step; lat <= lat1; lat += step) {
        ctx.fillText(formatLat(lat).replace(".00′", "′"), 3, m.sy(mercY(lat)) - 2);
      }
    },
  };
}

// niceScale picks a scale bar length in nautical miles (or cables, a
// tenth of one) no longer than maxPx pixels.
export function niceScale(metresPerPixel, maxPx) {
  const nm = (maxPx * metresPerPixel) / 1852;
  const nice = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];
  let best = nice[0];
  for (const n of nice) if (n <= nm) best = n;
  return { nm: best, px: (best * 1852) / metresPerPixel };
}
