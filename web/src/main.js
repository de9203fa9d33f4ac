// Pharos's web UI: the operator's live common operational picture. It
// reads the picture (GET /api/tracks, /api/events, /api/incidents,
// /api/sections, the layer records), keeps it live from the stream
// (GET /api/stream) and acts through the API with the session's CSRF
// token. No framework: the DOM is small and changes in few places, and
// the map — the heavy part — is canvas drawing that no framework helps.

import * as API from "./api.js";
import { MapView, graticuleLayer, niceScale } from "./map.js";
import { basemapLayer } from "./basemap.js";
import { Targets, KINDS, KIND_LABEL, legendSymbol } from "./targets.js";
import {
  sectionsLayer, shapesOfSections, itemPolygonsLayer, markersLayer, eventMarker, incidentMarker,
  assetMarker, environmentMarker, pathLayer, impactRank, isOpen, territorialLayer,
} from "./overlays.js";
import { h, $, clear, when, whenDay, ago, words, dialog, field, select, toast } from "./dom.js";
import { formatLat, formatLon, mercX as mx, mercY as my, lonOf, latOf } from "./geo.js";
import { flagOf, emoji } from "./flag.js";
import { Replay } from "./replay.js";
import { bench } from "./bench.js";

// The event types the node's detectors report, so that a filter can be
// set before the first of a type arrives; others are added as they come.
const EVENT_TYPES = ["ais_gap", "dark_target", "distress", "drift", "encounter", "go_fast", "identity_spoof",
  "loitering", "speed_change", "watchlist_hit", "zone_entry", "zone_exit", "zone_loiter"];

const DROP_MS = 30 * 60e3;

const LAYER_KINDS = ["asset", "operation", "environment", "area", "risk_product", "watchlist", "rfi", "imagery"];
const KIND_PATH = {
  asset: "assets", operation: "operations", environment: "environment", area: "areas",
  risk_product: "risk-products", watchlist: "watchlist", rfi: "rfis", imagery: "imagery",
};

// The client's copy of the picture.
const state = {
  user: null,
  role: "",
  events: new Map(),
  incidents: new Map(),
  sections: new Map(),
  sectionShapes: [],
  items: new Map(LAYER_KINDS.map((k) => [k, versioned(new Map())])),
  acked: new Set(),
  focusEvent: null, // the alert whose evidence the map shows
  history: null, // [lon, lat] of the selected vessel's history
  drawing: null, // [lon, lat] of the area being drawn
  alertSel: 0,
  alertList: [],
  incidentSel: null,
};
const targets = new Targets();
let map = null;
let es = null;
let replay = null;

// Measures the browser test reads.
const metrics = (window.pharosMetrics = { firstTracksMs: null, tracksLoaded: 0, streamed: 0 });

function versioned(m) {
  m.version = 0;
  return m;
}

function theme() {
  const cs = getComputedStyle(document.documentElement);
  const v = (n) => cs.getPropertyValue("--" + n).trim();
  const t = {
    sea: v("sea"), land: v("land"), coast: v("coast"), border: v("border"), graticule: v("graticule"),
    graticuleText: v("graticule-text"), stale: v("t-stale"), staleEdge: v("t-stale-edge"), edge: v("t-edge"),
    trail: v("t-trail"), select: v("t-select"), risk: v("t-risk"), label: v("t-label"), ev: v("ev"),
    area: v("area"), op: v("op"), tw: v("tw"), "risk-area": v("risk-area"), imagery: v("imagery"), history: v("history"),
  };
  for (const k of KINDS) t[k] = v("t-" + k);
  for (const l of ["low", "medium", "high", "critical", "very_high"]) t["lvl-" + l] = v("lvl-" + l);
  return t;
}

function setTheme(name) {
  document.documentElement.dataset.theme = name;
  localStorage.setItem("pharos.theme", name);
  if (map) {
    map.theme = theme();
    map.changed();
    drawLegend();
  }
}

// ---------------------------------------------------------------- login

async function start() {
  setTheme(localStorage.getItem("pharos.theme") || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"));
  API.setOnUnauthorised(showLogin);
  $("login-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    $("login-error").textContent = "";
    try {
      const r = await API.login($("login-user").value, $("login-password").value);
      $("login-password").value = "";
      await enter(r);
    } catch (err) {
      $("login-error").textContent = err.status === 401 ? "Wrong user or password." : String(err.message);
    }
  });
  const s = API.session();
  if (s) {
    try {
      await enter(s);
      return;
    } catch (err) {
      if (err.status !== 401) console.warn("session", err);
    }
  }
  showLogin();
}

function showLogin() {
  if (es) es.close();
  es = null;
  API.forget();
  $("app").hidden = true;
  $("login").hidden = false;
  $("login-user").focus();
}

async function enter(who) {
  state.user = who.user;
  state.role = who.role;
  state.acked = new Set(JSON.parse(localStorage.getItem(ackKey()) || "[]"));
  $("login").hidden = true;
  $("app").hidden = false;
  $("whoami").textContent = `${who.user} · ${who.role}`;
  if (!map) setUp();
  applyRole();
  await loadAll();
  connect();
}

function ackKey() {
  return "pharos.ack." + state.user;
}

function applyRole() {
  const incidents = API.can(state.role, "incidents");
  $("btn-new-incident").disabled = !incidents;
  $("btn-new-incident").title = incidents ? "" : `a ${state.role} may not open incidents`;
  $("btn-draw").disabled = !API.can(state.role, "areas");
}

// ------------------------------------------------------------- the data

async function loadAll() {
  const [tracks, events, incidents, sections, shapes, ...items] = await Promise.all([
    API.get("/api/tracks"),
    API.get("/api/events"),
    API.get("/api/incidents"),
    API.get("/api/sections"),
    API.get("/api/sections/geojson"),
    ...LAYER_KINDS.map((k) => API.get("/api/" + KIND_PATH[k])),
  ]);
  targets.clear();
  for (const s of tracks) targets.upsert(s);
  metrics.tracksLoaded = tracks.length;
  state.events = new Map(events.map((e) => [e.id, e]));
  state.incidents = new Map(incidents.map((i) => [i.id, i]));
  state.sections = new Map(sections.map((s) => [s.id, s]));
  state.sectionShapes = shapesOfSections(shapes);
  state.sectionGeo = shapes.features.filter((f) => f.geometry);
  areaOptions();
  if (!state.viewSet) {
    state.viewSet = true;
    firstView();
  }
  LAYER_KINDS.forEach((k, i) => {
    const m = state.items.get(k);
    m.clear();
    for (const it of items[i]) m.set(it.id, it);
    m.version++;
  });
  assetsChanged();
  eventsChanged();
  renderIncidents();
  renderLayers();
  map.changed();
}

let reloading = 0;

function connect() {
  if (es) es.close();
  const conn = $("conn");
  es = API.stream(
    {
      track: (s) => {
        targets.upsert(s);
        metrics.streamed++;
        map.dataChanged();
      },
      event: (ev) => {
        state.events.set(ev.id, ev);
        eventsChangedSoon();
      },
      track_gone: ({ id }) => {
        targets.all.delete(id);
        map.dataChanged();
      },
      withdrawn: ({ id }) => {
        state.events.delete(id);
        eventsChangedSoon();
      },
      incident: (inc) => {
        state.incidents.set(inc.id, inc);
        renderIncidents();
        map.dataChanged(true);
      },
      section: (sec) => {
        state.sections.set(sec.id, sec);
        map.baseChanged();
        renderLayers();
      },
      item: (it) => {
        const m = state.items.get(it.kind);
        if (!m) return;
        m.set(it.id, it);
        m.version++;
        if (it.kind === "asset") assetsChanged();
        if (it.kind === "area") areaOptions();
        map.changed();
      },
      deleted: (d) => {
        const m = state.items.get(d.kind);
        if (!m) return;
        m.delete(d.id);
        m.version++;
        map.changed();
      },
      dropped: () => {
        // Fell behind: read the picture afresh, once however many drops
        // come while it reads.
        if (reloading) return;
        reloading = setTimeout(() => loadAll().catch((e) => console.warn("reload", e)).finally(() => (reloading = 0)), 1000);
      },
    },
    (s) => {
      conn.textContent = s === "open" ? "live" : "reconnecting";
      conn.className = "conn " + (s === "open" ? "live" : "down");
      if (s !== "open") {
        // Is the session gone? api() shows the login when it is.
        API.get("/api/sections").catch(() => {});
      }
    },
  );
}

function assetsChanged() {
  const ids = [];
  for (const it of state.items.get("asset").values()) if (it.value.track) ids.push(it.value.track);
  targets.setAssetTracks(ids);
}

let eventsTimer = 0;
function eventsChangedSoon() {
  if (!eventsTimer) eventsTimer = setTimeout(() => ((eventsTimer = 0), eventsChanged()), 300);
}

function eventsChanged() {
  // A track's risk is the highest score among its events.
  targets.risk.clear();
  for (const ev of state.events.values()) {
    const score = ev.risk ? ev.risk.score : 0;
    for (const id of ev.track_ids || []) targets.risk.set(id, Math.max(targets.risk.get(id) || 0, score));
  }
  const types = new Set([...EVENT_TYPES, ...[...state.events.values()].map((e) => e.type)]);
  const sel = $("f-type");
  const have = new Set([...sel.options].map((o) => o.value));
  for (const t of [...types].sort()) if (!have.has(t)) sel.append(h("option", { value: t }, words(t)));
  renderAlerts();
  if ($("tab-vessel").hidden === false && targets.selected) renderVessel(targets.selected);
  map.dataChanged(true);
}

// ------------------------------------------------------------ the map

function setUp() {
  map = new MapView($("map"));
  map.theme = theme();
  const base = basemapLayer(() => map.baseChanged());
  const grat = graticuleLayer();
  const sections = sectionsLayer(state);
  const tw = territorialLayer((bbox) => API.get("/api/territorial-waters?bbox=" + bbox), () => map.baseChanged());
  const polys = ["area", "operation", "risk_product", "imagery"].map((k) => itemPolygonsLayer(state, k));
  map.baseLayers.push(base, tw, sections, ...polys, grat);
  const assetsNoTrack = () => [...state.items.get("asset").values()].map((it) => it.value).filter((a) => !a.track || !targets.all.has(a.track));
  const env = markersLayer("environment", () => [...state.items.get("environment").values()].map((it) => it.value), environmentMarker);
  env.visible = false;
  const evs = markersLayer("events", () => state.alertList.length ? state.alertList : [...state.events.values()], (ctx, x, y, ev, m) =>
    eventMarker(ctx, x, y, ev, m, state.focusEvent === ev.id, state.acked.has(ev.id)));
  const incs = markersLayer("incidents", () => state.incidents.values(), incidentMarker);
  const assets = markersLayer("assets", assetsNoTrack, assetMarker);
  const history = pathLayer("history", () => state.history, "history");
  const evidence = pathLayer("evidence", () => {
    const ev = state.focusEvent && state.events.get(state.focusEvent);
    return ev && ev.evidence ? ev.evidence.map((e) => [e.lon, e.lat]) : null;
  }, "risk");
  const drawing = pathLayer("drawing", () => state.drawing, "select", true);
  // The first frame with targets in view is measured at the draw itself.
  const tlayer = targets.layer();
  const drawTargets = tlayer.draw;
  tlayer.draw = (ctx, m) => {
    drawTargets(ctx, m);
    if (metrics.firstTracksMs === null && targets.visibleCount > 0) metrics.firstTracksMs = performance.now();
  };
  map.topLayers.push(env, evs, incs, history, evidence, tlayer, assets, drawing);
  state.layers = { base, tw, grat, sections, polys, env, evs, incs, assets, history, targets: null };

  let saveT = 0;
  map.on("view", () => {
    clearTimeout(saveT);
    saveT = setTimeout(() => localStorage.setItem(viewKey(), JSON.stringify([lonOf(map.cx), latOf(map.cy), map.zoom])), 500);
    const sc = niceScale(map.metresPerPixel(), 120);
    $("scale-bar").style.width = Math.round(sc.px) + "px";
    $("scale-label").textContent = sc.nm < 1 ? `${sc.nm * 10} cables` : `${sc.nm} NM`;
    if ($("f-area").value === "view") renderAlertsSoon();
  });
  let hoverT = 0;
  map.on("move", (px, py, lon, lat) => {
    $("cursor").textContent = `${formatLat(lat)}  ${formatLon(lon)}`;
    const now = performance.now();
    if (now - hoverT < 50) return;
    hoverT = now;
    const tr = state.drawing ? null : targets.pick(map, px, py);
    const hv = $("hover");
    if (tr) {
      hv.hidden = false;
      hv.textContent = `${tr.name || (tr.mmsi ? "MMSI " + tr.mmsi : "track " + tr.id)} · ${KIND_LABEL[tr.kind]} · ${tr.sog.toFixed(1)} kn`;
      hv.style.left = px + 14 + "px";
      hv.style.top = py + 10 + "px";
    } else hv.hidden = true;
  });
  map.on("click", (px, py, lon, lat, e) => {
    if (state.drawing) return addDrawPoint(lon, lat, e);
    const tr = targets.pick(map, px, py, 12);
    if (tr) selectTrack(tr, false);
    else {
      // An event or an incident marker?
      const near = (o) => Math.hypot(map.sx(mx(o.lon)) - px, map.sy(my(o.lat)) - py) < 10;
      for (const ev of state.events.values()) if (near(ev)) return focusEvent(ev, false);
      for (const inc of state.incidents.values()) {
        if (inc.status !== "closed" && near(inc)) {
          state.incidentSel = inc.id;
          renderIncidents();
          return showTab("incidents");
        }
      }
    }
  });
  map.top.addEventListener("dblclick", (e) => {
    if (state.drawing) {
      e.stopImmediatePropagation();
      finishDrawing();
    }
  }, true);
  // The stream says when a track changes, not when the tracker drops
  // it: a track not heard of for half an hour of picture time goes.
  setInterval(() => {
    if (replay.active) return;
    let gone = 0;
    for (const [id, tr] of targets.all) {
      if (targets.latest - tr.time > DROP_MS && tr !== targets.selected) {
        targets.all.delete(id);
        gone++;
      }
    }
    if (gone) map.dataChanged();
  }, 10000);
  setInterval(() => {
    $("counts").textContent = `${targets.all.size.toLocaleString("en")} tracks · ${targets.visibleCount.toLocaleString("en")} in view`;
    $("clock").textContent = targets.latest ? "picture " + whenDay(targets.latest) : "";
  }, 250);

  bindChrome();
  drawLegend();
  replay = new Replay(map, targets, () => $("replay-label"));
  window.pharos = { map, targets, state, bench: (n, s, zoomedIn) => bench(map, targets, n, s, zoomedIn), replay, selectTrack, focusEvent };
}

function drawLegend() {
  const el = $("legend");
  clear(el, KINDS.map((k) => {
    const c = h("canvas", { width: 18, height: 18 });
    legendSymbol(c, k, map.theme);
    return h("div", {}, c, KIND_LABEL[k]);
  }), h("div", {}, h("span", { class: "swatch", "aria-hidden": "true" }), "grey: not seen for 3 min"));
  el.querySelector(".swatch").style.background = map.theme.stale;
  el.title = "Click to fold or unfold the legend";
  el.onclick = () => el.classList.toggle("folded");
}

// ---------------------------------------------------------- the chrome

function bindChrome() {
  for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));
  $("btn-theme").addEventListener("click", () => setTheme(document.documentElement.dataset.theme === "dark" ? "light" : "dark"));
  $("btn-logout").addEventListener("click", async () => {
    await API.logout().catch(() => {});
    showLogin();
  });
  $("btn-about").addEventListener("click", about);
  $("btn-new-incident").addEventListener("click", () => newIncident({}));
  $("btn-draw").addEventListener("click", startDrawing);
  $("btn-replay").addEventListener("click", () => (replay.active ? replay.stop() : replay.start().catch((e) => toast("replay: " + e.message, true))));
  for (const id of ["f-type", "f-impact", "f-area", "f-unack"]) $(id).addEventListener("change", renderAlerts);
  const search = $("search");
  search.addEventListener("input", () => renderSearch(search.value));
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      const first = $("search-results").querySelector("li");
      if (first) first.click();
    } else if (e.key === "Escape") {
      search.value = "";
      renderSearch("");
      map.top.focus();
    }
  });
  search.addEventListener("blur", () => setTimeout(() => ($("search-results").hidden = true), 200));
  $("alerts").addEventListener("focus", () => renderAlerts());
  document.addEventListener("keydown", onKey);
}

function onKey(e) {
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName) || $("dialog").open;
  if (typing || (e.key === "Enter" && document.activeElement?.tagName === "BUTTON")) return;
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (state.drawing) {
    if (e.key === "Enter") finishDrawing();
    if (e.key === "Escape") stopDrawing();
    return;
  }
  switch (e.key) {
    case "/":
      e.preventDefault();
      $("search").focus();
      return;
    case "t":
      $("btn-theme").click();
      return;
    case "j":
    case "k":
    case "Enter":
    case "a": {
      if ($("tab-alerts").hidden) showTab("alerts");
      const n = state.alertList.length;
      if (!n) return;
      e.preventDefault();
      if (e.key === "j") state.alertSel = Math.min(n - 1, state.alertSel + 1);
      if (e.key === "k") state.alertSel = Math.max(0, state.alertSel - 1);
      const ev = state.alertList[state.alertSel];
      if (e.key === "Enter") focusEvent(ev, true);
      if (e.key === "a") acknowledge(ev.id);
      markAlertSel();
      return;
    }
  }
}

function showTab(name) {
  for (const b of document.querySelectorAll(".tabs button")) b.setAttribute("aria-selected", String(b.dataset.tab === name));
  for (const t of ["alerts", "incidents", "vessel", "layers"]) $("tab-" + t).hidden = t !== name;
}

// ---------------------------------------------------------- the alerts

let alertsTimer = 0;
function renderAlertsSoon() {
  if (!alertsTimer) alertsTimer = setTimeout(() => ((alertsTimer = 0), renderAlerts()), 200);
}

function renderAlerts() {
  const type = $("f-type").value, impact = $("f-impact").value, area = $("f-area").value, unack = $("f-unack").checked;
  const b = area === "view" ? map.bbox() : null;
  const rings = area && area !== "view" ? ringsOfArea(area) : null;
  const list = [...state.events.values()]
    .filter((ev) => (!type || ev.type === type) && (!impact || impactRank(ev.impact) >= impactRank(impact)) &&
      (!b || (ev.lon >= b[0] && ev.lat >= b[1] && ev.lon <= b[2] && ev.lat <= b[3])) &&
      (!rings || inRings(rings, ev.lon, ev.lat)) && (!unack || !state.acked.has(ev.id)))
    .sort((a, b) => Date.parse(b.start) - Date.parse(a.start) || (a.id < b.id ? 1 : -1));
  const selId = state.alertList[state.alertSel]?.id;
  state.alertList = list;
  state.alertSel = Math.max(0, list.findIndex((e) => e.id === selId));
  const open = [...state.events.values()].filter((e) => isOpen(e) && !state.acked.has(e.id)).length;
  $("alert-count").textContent = open ? String(open) : "";
  // Rows are kept by event ID and changed in place: a row rebuilt under
  // the pointer between press and release would lose the click.
  const ul = $("alerts");
  const rows = [];
  for (const [i, ev] of list.slice(0, 400).entries()) {
    let li = alertRows.get(ev.id);
    if (!li) {
      li = h("li", { dataset: { id: ev.id }, onclick: () => {
        const e = state.events.get(li.dataset.id);
        if (!e) return;
        state.alertSel = Math.max(0, state.alertList.indexOf(e));
        markAlertSel();
        focusEvent(e, false);
      } });
      alertRows.set(ev.id, li);
    }
    const acked = state.acked.has(ev.id);
    const sig = `${ev.impact}|${ev.end}|${acked}|${vesselsOf(ev)}`;
    if (li.dataset.sig !== sig) {
      li.dataset.sig = sig;
      clear(li,
        h("span", { class: "lvl lvl-" + ev.impact, title: "impact " + words(ev.impact) }),
        h("span", { class: "title" }, words(ev.type), isOpen(ev) ? " · under way" : ""),
        h("span", { class: "when" }, whenDay(ev.start)),
        h("span", { class: "sub" }, `${words(ev.impact)} · ${vesselsOf(ev)} · ${formatLat(ev.lat)} ${formatLon(ev.lon)}`, acked ? " · acknowledged" : ""));
    }
    li.className = (i === state.alertSel ? "sel " : "") + (acked ? "acked" : "");
    rows.push(li);
  }
  for (const id of alertRows.keys()) if (!state.events.has(id)) alertRows.delete(id);
  if (list.length > 400) rows.push(h("li", { class: "muted" }, `${list.length - 400} more: filter to see them`));
  if (rows.length !== ul.children.length || rows.some((r, i) => ul.children[i] !== r)) ul.replaceChildren(...rows);
}

const alertRows = new Map();

// firstView shows where the user last looked, or else the node's border
// sections, or else the tracks.
function firstView() {
  const saved = JSON.parse(localStorage.getItem(viewKey()) || "null");
  if (saved) return map.setView(saved[0], saved[1], saved[2]);
  const pts = state.sectionGeo.flatMap((f) => (f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates).flat(2));
  if (!pts.length) for (const tr of targets.all.values()) pts.push([tr.lon, tr.lat]);
  if (!pts.length) return;
  const lons = pts.map((p) => p[0]), lats = pts.map((p) => p[1]);
  map.fit(Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats), 10);
}

function viewKey() {
  return "pharos.view." + state.user;
}

// areaOptions offers the border sections and the drawn areas in the
// alerts' area filter.
function areaOptions() {
  const sel = $("f-area");
  const value = sel.value;
  clear(sel, h("option", { value: "" }, "anywhere"), h("option", { value: "view" }, "in view"),
    (state.sectionGeo || []).map((f) => h("option", { value: "section:" + f.id }, "section " + (f.properties.name || f.id))),
    [...state.items.get("area").values()].map((it) => h("option", { value: "area:" + it.id }, "area " + it.value.name)));
  sel.value = value;
  if (sel.value !== value) sel.value = "";
}

// ringsOfArea returns the rings of a filter's area: [lon, lat] lists.
function ringsOfArea(key) {
  const [kind, id] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
  if (kind === "section") {
    const f = (state.sectionGeo || []).find((f) => f.id === id);
    if (!f) return [];
    return (f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates).flat();
  }
  const it = state.items.get("area").get(id);
  return it ? [it.value.polygon] : [];
}

// inRings reports whether a point is inside an odd number of rings (the
// even-odd rule, as the node's own areas count).
function inRings(rings, lon, lat) {
  let inside = false;
  for (const r of rings) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i], [xj, yj] = r[j];
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

function vesselsOf(ev) {
  const names = (ev.track_ids || []).map((id) => {
    const tr = targets.all.get(id);
    return tr && tr.name ? tr.name : tr && tr.mmsi ? "MMSI " + tr.mmsi : "track " + id;
  });
  return names.join(", ") || "no track";
}

function markAlertSel() {
  const items = $("alerts").children;
  for (let i = 0; i < items.length; i++) items[i].classList.toggle("sel", i === state.alertSel);
  items[state.alertSel]?.scrollIntoView({ block: "nearest" });
}

function acknowledge(id) {
  if (state.acked.has(id)) state.acked.delete(id);
  else state.acked.add(id);
  localStorage.setItem(ackKey(), JSON.stringify([...state.acked]));
  renderAlerts();
  map.dataChanged(true);
}

// focusEvent zooms to an alert's evidence; open: also opens the card of
// its first vessel.
function focusEvent(ev, open) {
  state.focusEvent = ev.id;
  // The evidence, and where its vessels are now.
  const pts = [[ev.lon, ev.lat], ...(ev.evidence || []).map((e) => [e.lon, e.lat])];
  for (const id of ev.track_ids || []) {
    const tr = targets.all.get(id);
    if (tr) pts.push([tr.lon, tr.lat]);
  }
  const lons = pts.map((p) => p[0]), lats = pts.map((p) => p[1]);
  map.fit(Math.min(...lons) - 0.02, Math.min(...lats) - 0.02, Math.max(...lons) + 0.02, Math.max(...lats) + 0.02, 12);
  const tr = (ev.track_ids || []).map((id) => targets.all.get(id)).find(Boolean);
  if (tr) {
    targets.selected = tr;
    if (open) selectTrack(tr, false);
  } else if (open) renderEventCard(ev);
  map.dataChanged(true);
}

// ---------------------------------------------------------- the vessel

async function selectTrack(tr, zoom) {
  targets.selected = tr;
  state.history = null;
  if (zoom) map.setView(tr.lon, tr.lat, Math.max(map.zoom, 11));
  renderVessel(tr);
  showTab("vessel");
  map.dataChanged(true);
}

function eventsOfTrack(id) {
  return [...state.events.values()].filter((e) => (e.track_ids || []).includes(id)).sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
}

function watchEntryOf(tr) {
  for (const it of state.items.get("watchlist").values()) {
    const w = it.value;
    if ((w.mmsi && w.mmsi === tr.mmsi) || (w.name && tr.name && w.name.toUpperCase() === tr.name.toUpperCase())) return w;
  }
  return null;
}

function renderVessel(tr) {
  const evs = eventsOfTrack(tr.id);
  const flag = flagOf(tr.mmsi);
  const watch = watchEntryOf(tr);
  const risk = evs.map((e) => e.risk).filter(Boolean).sort((a, b) => b.score - a.score)[0];
  const bar = h("div", { class: "riskbar" }, h("span"));
  if (risk) bar.firstChild.style.width = Math.round(risk.score * 100) + "%";
  const asset = [...state.items.get("asset").values()].find((it) => it.value.track === tr.id);
  clear($("vessel"), h("div", { class: "card", id: "vessel-card", dataset: { track: tr.id } },
    h("h2", {}, tr.name || (tr.mmsi ? "MMSI " + tr.mmsi : "Unidentified target"), " ",
      h("span", { class: "tag" + (tr.kind === "dark" ? " lvl-critical" : "") }, KIND_LABEL[tr.kind])),
    targets.stale(tr) ? h("p", { class: "muted" }, "Not seen for " + ago(new Date(tr.time).toISOString(), targets.latest)) : null,
    h("h3", {}, "Identity"),
    h("dl", {},
      h("dt", {}, "MMSI"), h("dd", {}, tr.mmsi || "none (no AIS)"),
      h("dt", {}, "Flag"), h("dd", {}, flag ? `${emoji(flag.code)} ${flag.name} (${flag.code})` : "unknown"),
      h("dt", {}, "Track"), h("dd", {}, String(tr.id)),
      asset ? [h("dt", {}, "Own asset"), h("dd", {}, `${asset.value.name} · ${words(asset.value.type)} · ${words(asset.value.status)}`)] : null,
      watch ? [h("dt", {}, "Watchlist"), h("dd", {}, `${watch.id}: ${watch.reason || ""}`, watch.imo ? ` · IMO ${watch.imo}` : "", watch.call_sign ? ` · ${watch.call_sign}` : "")] : null),
    h("h3", {}, "Kinematics"),
    h("dl", {},
      h("dt", {}, "Position"), h("dd", { class: "mono" }, `${formatLat(tr.lat)} ${formatLon(tr.lon)}`),
      h("dt", {}, "Speed"), h("dd", {}, `${tr.sog.toFixed(1)} kn`),
      h("dt", {}, "Course"), h("dd", {}, `${tr.cog.toFixed(0)}°`),
      h("dt", {}, "Seen"), h("dd", {}, whenDay(tr.time))),
    h("h3", {}, "Sensors"),
    h("p", {}, tr.sensors.length ? tr.sensors.map((s) => h("span", { class: "tag" }, s)) : "none", tr.dark ? h("span", { class: "tag lvl-critical" }, "dark: no AIS") : null),
    h("h3", {}, "Risk"),
    risk ? [bar, h("p", {}, `score ${risk.score.toFixed(2)}`,
      risk.threats ? " · " + Object.entries(risk.threats).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${words(k)} ${v.toFixed(2)}`).join(", ") : ""),
    risk.explanation ? h("p", {}, risk.explanation) : null,
    risk.reasons ? h("ul", {}, risk.reasons.map((r) => h("li", {}, r))) : null] : h("p", { class: "muted" }, "No assessment: no events."),
    h("h3", {}, `Events (${evs.length})`),
    evs.length ? h("ul", { class: "list" }, evs.map((ev) => h("li", { onclick: () => focusEvent(ev, false) },
      h("span", { class: "lvl lvl-" + ev.impact }), h("span", { class: "title" }, words(ev.type)),
      h("span", { class: "when" }, whenDay(ev.start)), h("span", { class: "sub" }, state.acked.has(ev.id) ? "acknowledged" : words(ev.impact))))) : h("p", { class: "muted" }, "none"),
    h("div", { class: "row" },
      h("button", { id: "btn-history", onclick: () => showHistory(tr) }, "History on the map"),
      h("button", { onclick: () => map.setView(tr.lon, tr.lat, Math.max(map.zoom, 11)) }, "Zoom to"),
      h("button", { id: "btn-vessel-incident", disabled: !API.can(state.role, "incidents"),
        onclick: () => newIncident({ lat: tr.lat, lon: tr.lon, events: evs.map((e) => e.id), title: `${tr.name || (tr.dark ? "Dark target" : "Target")} ${tr.mmsi || tr.id}` }) }, "Open incident"),
      evs.length ? h("button", { id: "btn-ack", onclick: () => { evs.forEach((e) => state.acked.has(e.id) || acknowledge(e.id)); renderVessel(tr); } }, "Acknowledge its alerts") : null),
  ));
}

function renderEventCard(ev) {
  clear($("vessel"), h("div", { class: "card" }, h("h2", {}, words(ev.type)),
    h("dl", {}, h("dt", {}, "Start"), h("dd", {}, whenDay(ev.start)), h("dt", {}, "Impact"), h("dd", {}, words(ev.impact)),
      h("dt", {}, "Confidence"), h("dd", {}, ev.confidence.toFixed(2)))));
  showTab("vessel");
}

async function showHistory(tr) {
  const to = new Date(targets.latest || Date.now());
  const from = new Date(to - 6 * 3600e3);
  const hist = await API.get(`/api/tracks/${tr.id}/history?from=${from.toISOString().slice(0, 19)}Z&to=${to.toISOString().slice(0, 19)}Z`);
  state.history = hist.map((s) => [s.lon, s.lat]);
  if (hist.length === 0) toast("No stored history for this track yet.");
  else {
    const lons = state.history.map((p) => p[0]), lats = state.history.map((p) => p[1]);
    map.fit(Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats), 13);
  }
  map.dataChanged(true);
}

// ------------------------------------------------------------- search

function renderSearch(q) {
  const ul = $("search-results");
  q = q.trim();
  if (!q) {
    ul.hidden = true;
    return;
  }
  const found = targets.find(q).map((tr) => ({ label: `${tr.name || "—"} · MMSI ${tr.mmsi || "none"} · ${KIND_LABEL[tr.kind]}`, go: () => selectTrack(tr, true) }));
  const Q = q.toUpperCase();
  for (const it of state.items.get("watchlist").values()) {
    const w = it.value;
    if ([w.mmsi, w.imo, w.call_sign, w.name].some((v) => v && String(v).toUpperCase().includes(Q))) {
      const tr = [...targets.all.values()].find((t) => (w.mmsi && t.mmsi === w.mmsi) || (w.name && t.name && t.name.toUpperCase() === w.name.toUpperCase()));
      found.push({ label: `watchlist ${w.id}: ${w.name || ""} ${w.imo ? "IMO " + w.imo : ""} ${w.call_sign || ""}${tr ? "" : " (not in the picture)"}`, go: () => tr ? selectTrack(tr, true) : toast("Not in the live picture.") });
    }
  }
  clear(ul, found.length ? found.map((f) => h("li", { onclick: () => { ul.hidden = true; f.go(); } }, f.label)) : h("li", { class: "muted" }, "nothing found"));
  ul.hidden = false;
}

// ----------------------------------------------------------- incidents

function renderIncidents() {
  const list = [...state.incidents.values()].sort((a, b) => (a.status === "closed") - (b.status === "closed") || Date.parse(b.detected) - Date.parse(a.detected));
  const open = list.filter((i) => i.status !== "closed").length;
  $("incident-count").textContent = open ? String(open) : "";
  clear($("incidents"), list.map((inc) => h("li", { class: state.incidentSel === inc.id ? "sel" : "", dataset: { id: inc.id }, onclick: () => { state.incidentSel = inc.id; renderIncidents(); } },
    h("span", { class: "lvl lvl-" + inc.impact }),
    h("span", { class: "title" }, `${inc.id} · ${inc.title || words(inc.category)}`),
    h("span", { class: "when" }, inc.status),
    h("span", { class: "sub" }, `${words(inc.impact)} · ${words(inc.category)} · ${inc.reports ? inc.reports.length : 0} reports`,
      inc.due && !(inc.reports && inc.reports.length) && inc.status !== "closed" ? ` · first report due ${whenDay(inc.due)}` : ""))));
  const inc = state.incidents.get(state.incidentSel);
  clear($("incident-detail"), inc ? incidentCard(inc) : null);
}

function incidentCard(inc) {
  const mayWrite = API.can(state.role, "incidents") && inc.status !== "closed";
  const act = (path, body) => async () => {
    try {
      const r = await API.api("POST", `/api/incidents/${inc.id}/${path}`, body);
      state.incidents.set(r.id, r);
      renderIncidents();
    } catch (e) {
      toast(e.message, true);
    }
  };
  return h("div", { class: "card", id: "incident-card" },
    h("h2", {}, inc.title || inc.id),
    h("dl", {},
      h("dt", {}, "ID"), h("dd", {}, inc.id),
      h("dt", {}, "Status"), h("dd", {}, inc.status),
      h("dt", {}, "Category"), h("dd", {}, words(inc.category)),
      h("dt", {}, "Impact"), h("dd", {}, words(inc.impact)),
      h("dt", {}, "Confidence"), h("dd", {}, `${inc.confidence.reliability}${inc.confidence.credibility} (reliability, credibility)`),
      h("dt", {}, "Originator"), h("dd", {}, inc.originator),
      h("dt", {}, "Owner"), h("dd", {}, inc.owner),
      h("dt", {}, "Detected"), h("dd", {}, whenDay(inc.detected)),
      inc.due ? [h("dt", {}, "First report due"), h("dd", {}, whenDay(inc.due))] : null,
      h("dt", {}, "Events"), h("dd", {}, (inc.events || []).join(", ") || "none")),
    h("h3", {}, "Reports"),
    (inc.reports || []).map((r) => h("div", { class: "report" }, h("div", { class: "muted small" },
      `${r.follow_up ? "follow-up" : "first report"} · ${r.author} · ${whenDay(r.t)} · ${words(r.impact)} · ${r.confidence.reliability}${r.confidence.credibility}`), r.text)),
    (inc.reports || []).length ? null : h("p", { class: "muted" }, "none yet"),
    h("div", { class: "row" },
      h("button", { onclick: () => map.setView(inc.lon, inc.lat, Math.max(map.zoom, 10)) }, "Zoom to"),
      h("button", { id: "btn-report", disabled: !mayWrite, onclick: () => addReport(inc) }, inc.reports && inc.reports.length ? "Add follow-up" : "Add first report"),
      h("button", { id: "btn-validate", disabled: !mayWrite || inc.status !== "open", onclick: act("validate") }, "Validate"),
      h("button", { id: "btn-close", disabled: !mayWrite, onclick: act("close") }, "Close"),
      h("button", { id: "btn-share", disabled: !API.can(state.role, "incidents") || !!inc.ref, title: inc.ref ? "Shared by " + inc.originator : "", onclick: () => shareIncident(inc) }, "Share with peers…")));
}

// shareIncident shows what each peer would receive of an incident after
// its agreement, and why, and pushes it to the peers ticked.
async function shareIncident(inc) {
  let decisions;
  try {
    decisions = await API.api("GET", `/api/incidents/${inc.id}/share`);
  } catch (e) {
    toast(e.message, true);
    return;
  }
  if (!decisions.length) {
    toast("This node has no peers to share with.");
    return;
  }
  const f = await dialog(`Share ${inc.id} with peers`, decisions.map((d) => h("fieldset", {},
    h("legend", {}, h("label", { class: "check" }, h("input", { type: "checkbox", name: "peers", value: d.peer, checked: d.send, disabled: !d.send }), d.peer)),
    h("p", { class: "small" }, d.send ? `receives ${d.payload.entities.length} entit${d.payload.entities.length === 1 ? "y" : "ies"}${d.withheld ? `, ${d.withheld} withheld` : ""}` : "receives nothing"),
    h("ul", { class: "small" }, d.verdicts.map((v) => h("li", { class: v.allow ? "" : "muted" }, `${v.allow ? "✓" : "✗"} ${v.rule}${v.entity ? " (" + v.entity + ")" : ""}: ${v.why}`))))), "Push");
  if (!f || !(f.peers || []).length) return;
  try {
    const sent = await API.api("POST", `/api/incidents/${inc.id}/share`, { peers: f.peers });
    toast(`${inc.id} pushed to ${sent.map((s) => s.peer).join(", ")}.`);
  } catch (e) {
    toast("Not shared: " + e.message, true);
  }
}

const IMPACTS = [["low", "low"], ["medium", "medium"], ["high", "high"], ["very_high", "very high"]];
const RELIABILITY = ["A", "B", "C", "D", "E", "F"].map((r) => [r, r + " " + ["completely reliable", "usually reliable", "fairly reliable", "not usually reliable", "unreliable", "cannot be judged"]["ABCDEF".indexOf(r)]]);
const CREDIBILITY = [1, 2, 3, 4, 5, 6].map((c) => [String(c), c + " " + ["confirmed", "probably true", "possibly true", "doubtful", "improbable", "cannot be judged"][c - 1]]);
const CATEGORIES = [["unauthorised_border_crossing", "unauthorised border crossing"], ["cross_border_crime", "cross-border crime"], ["crisis_situation", "crisis situation"], ["other", "other"]];

async function newIncident(pre) {
  const c = map.lonLatAt(map.W / 2, map.H / 2);
  const f = await dialog("New incident", [
    field("Title", h("input", { name: "title", required: true, value: pre.title || "", id: "inc-title" })),
    field("Category", select("category", CATEGORIES, "cross_border_crime")),
    field("Impact", select("impact", IMPACTS, "medium")),
    field("Source reliability", select("reliability", RELIABILITY, "B")),
    field("Information credibility", select("credibility", CREDIBILITY, "2")),
    field("Latitude", h("input", { name: "lat", value: (pre.lat ?? c[1]).toFixed(5), inputmode: "decimal" })),
    field("Longitude", h("input", { name: "lon", value: (pre.lon ?? c[0]).toFixed(5), inputmode: "decimal" })),
    pre.events && pre.events.length ? h("fieldset", {}, h("legend", {}, "Link events"),
      pre.events.map((id) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "events", value: id, checked: !linked(id) }), id, linked(id) ? ` (in ${linked(id)})` : ""))) : null,
  ], "Open incident");
  if (!f) return;
  try {
    const inc = await API.api("POST", "/api/incidents", {
      title: f.title, category: f.category, impact: f.impact,
      confidence: { reliability: f.reliability, credibility: +f.credibility },
      lat: +f.lat, lon: +f.lon, events: f.events || [],
    });
    state.incidents.set(inc.id, inc);
    state.incidentSel = inc.id;
    renderIncidents();
    showTab("incidents");
    toast(`Incident ${inc.id} opened.`);
  } catch (e) {
    toast("Incident not opened: " + e.message, true);
  }
}

function linked(evID) {
  for (const inc of state.incidents.values()) if ((inc.events || []).includes(evID)) return inc.id;
  return "";
}

async function addReport(inc) {
  const f = await dialog(`Report on ${inc.id}`, [
    field("Text", h("textarea", { name: "text", rows: 4, required: true })),
    field("Impact", select("impact", IMPACTS, inc.impact)),
    field("Source reliability", select("reliability", RELIABILITY, inc.confidence.reliability)),
    field("Information credibility", select("credibility", CREDIBILITY, String(inc.confidence.credibility))),
  ], "Add report");
  if (!f) return;
  try {
    const r = await API.api("POST", `/api/incidents/${inc.id}/reports`, {
      text: f.text, impact: f.impact, confidence: { reliability: f.reliability, credibility: +f.credibility },
    });
    state.incidents.set(r.id, r);
    renderIncidents();
  } catch (e) {
    toast(e.message, true);
  }
}

// -------------------------------------------------------------- layers

function renderLayers() {
  if (!map) return;
  const L = state.layers;
  const toggle = (label, layer, colour, id) => {
    const cb = h("input", { type: "checkbox", checked: layer.visible !== false, id });
    cb.addEventListener("change", () => {
      layer.visible = cb.checked;
      map.changed();
    });
    const sw = h("span", { class: "swatch" });
    if (colour) sw.style.background = map.theme[colour];
    return h("label", {}, cb, colour ? sw : null, label);
  };
  const polys = Object.fromEntries(L.polys.map((p) => [p.name, p]));
  const count = (k) => state.items.get(k).size;
  const mayLevel = API.can(state.role, "sections");
  clear($("layers"),
    h("div", { class: "layer-group" }, h("h3", {}, "Events layer"),
      toggle("Events", L.evs, "ev", "layer-events"), toggle("Incidents", L.incs, "lvl-high", "layer-incidents")),
    h("div", { class: "layer-group" }, h("h3", {}, "Operational layer"),
      toggle(`Own assets (${count("asset")})`, L.assets, "asset", "layer-assets"),
      toggle(`Operations (${count("operation")})`, polys.operation, "op", "layer-operations"),
      toggle(`Areas drawn (${count("area")})`, polys.area, "area", "layer-areas"),
      toggle(`Environment (${count("environment")})`, L.env, "imagery", "layer-environment")),
    h("div", { class: "layer-group" }, h("h3", {}, "Analysis layer"),
      toggle(`Risk products (${count("risk_product")})`, polys.risk_product, "risk-area", "layer-risk"),
      toggle(`Imagery footprints (${count("imagery")})`, polys.imagery, "imagery", "layer-imagery"),
      h("p", { class: "small muted" }, `Watchlist: ${plural(count("watchlist"), "entry", "entries")} · requests for information: ${count("rfi")}`),
      [...state.items.get("watchlist").values()].map((it) => h("div", { class: "small" }, `${it.id}: ${it.value.name || it.value.mmsi || it.value.imo || it.value.call_sign} — ${it.value.reason || ""}`)),
      [...state.items.get("risk_product").values()].map((it) => h("div", { class: "small" }, `${it.value.title} (${words(it.value.level)}): ${it.value.summary}`))),
    h("div", { class: "layer-group" }, h("h3", {}, "Map"),
      toggle("Border sections", L.sections, "lvl-medium", "layer-sections"),
      toggle("Territorial waters (12 NM)", L.tw, "tw", "layer-territorial"),
      toggle("Graticule", L.grat, null, "layer-graticule")),
    h("div", { class: "layer-group" }, h("h3", {}, "Border sections"),
      [...state.sections.values()].map((s) => {
        const sel = select("level", [["low", "low"], ["medium", "medium"], ["high", "high"], ["critical", "critical"]], s.level);
        sel.disabled = !mayLevel;
        sel.addEventListener("change", async () => {
          const why = prompt(`Why is ${s.name} now ${sel.value}?`);
          if (!why) return void (sel.value = s.level);
          try {
            const r = await API.api("PUT", `/api/sections/${s.id}/level`, { level: sel.value, why });
            state.sections.set(r.id, r);
            map.baseChanged();
          } catch (e) {
            toast(e.message, true);
            sel.value = s.level;
          }
        });
        return h("div", { class: "section-row", title: s.id }, h("span", { class: "swatch lvl-" + s.level }), h("span", {}, s.name), sel);
      })));
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------- draw area

function startDrawing() {
  state.drawing = [];
  map.drawing = true;
  $("map").classList.add("drawing");
  $("draw-hint").hidden = false;
  map.top.focus();
}

function stopDrawing() {
  state.drawing = null;
  map.drawing = false;
  $("map").classList.remove("drawing");
  $("draw-hint").hidden = true;
  map.dataChanged(true);
}

function addDrawPoint(lon, lat) {
  const last = state.drawing[state.drawing.length - 1];
  if (last && Math.abs(last[0] - lon) < 1e-4 && Math.abs(last[1] - lat) < 1e-4) return;
  state.drawing.push([+lon.toFixed(5), +lat.toFixed(5)]);
  map.dataChanged(true);
}

async function finishDrawing() {
  const ring = state.drawing;
  if (!ring || ring.length < 3) {
    toast("An area needs three corners or more.");
    return;
  }
  $("draw-hint").hidden = true;
  const f = await dialog("Area and its rule", [
    field("Name", h("input", { name: "name", required: true, id: "area-name" })),
    field("Kind", select("kind", [["area_of_interest", "area of interest"], ["closed_area", "closed area"]], "area_of_interest")),
    h("fieldset", {}, h("legend", {}, "Report"), ["zone_entry", "zone_exit", "zone_loiter"].map((e) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "events", value: e, checked: e === "zone_entry" }), words(e)))),
    field("Impact", select("impact", IMPACTS, "medium")),
    field("Note", h("input", { name: "note" })),
  ], "Save area");
  if (!f) return stopDrawing();
  const id = ("AREA-" + f.name.toUpperCase().replace(/[^A-Z0-9]+/g, "-")).slice(0, 60).replace(/-+$/, "");
  try {
    const it = await API.api("PUT", `/api/areas/${id}`, {
      id, name: f.name, kind: f.kind, polygon: [...ring, ring[0]], events: f.events || [], impact: f.impact, note: f.note || undefined,
    });
    const m = state.items.get("area");
    m.set(it.id, it);
    m.version++;
    areaOptions();
    toast(`Area ${it.id} saved; the zone detectors watch it from the node's next start.`);
    renderLayers();
  } catch (e) {
    toast("Area not saved: " + e.message, true);
  }
  stopDrawing();
  map.changed();
}

// --------------------------------------------------------------- about

function about() {
  const d = $("dialog");
  clear(d, h("form", { method: "dialog" },
    h("h2", {}, "Pharos"),
    h("p", {}, "An open maritime border-surveillance and information-sharing node: the common operational picture of this node."),
    h("h3", {}, "Data and attribution"),
    h("ul", {},
      h("li", {}, "Made with Natural Earth — basemap land, coasts and borders from the npm package world-atlas (public domain)."),
      h("li", {}, "© OpenStreetMap contributors (ODbL) — territorial waters and distance to shore, from geo-maps and osm_borders."),
      h("li", {}, "Contains data from the Danish Maritime Authority (the demo's AIS capture)."),
      h("li", {}, "Maritime Identification Digits from the ITU list as published by libais and DMA e-Navigation (Apache-2.0).")),
    h("h3", {}, "Keys"),
    h("p", {}, "j / k: next / previous alert · Enter: open it · a: acknowledge · /: search · t: theme · arrows, + and −: move the map"),
    h("p", { class: "muted small" }, "Acknowledgements are kept in this browser, per user."),
    h("div", { class: "buttons" }, h("button", { class: "primary", id: "about-close" }, "Close"))));
  d.showModal();
}

start().catch((e) => console.error(e));
