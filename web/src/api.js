// The node's API: JSON requests that carry the session's CSRF token on
// every change, and the live stream.

let csrf = sessionStorage.getItem("pharos.csrf") || "";

export class APIError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// onUnauthorised is called when the session is gone (expired or logged
// out elsewhere).
export let onUnauthorised = () => {};
export function setOnUnauthorised(f) {
  onUnauthorised = f;
}

export async function api(method, path, body) {
  const opt = { method, headers: {}, credentials: "same-origin" };
  if (method !== "GET") opt.headers["X-CSRF-Token"] = csrf;
  if (body !== undefined) {
    opt.headers["Content-Type"] = "application/json";
    opt.body = JSON.stringify(body);
  }
  const resp = await fetch(path, opt);
  if (resp.status === 204) return null;
  let data = null;
  try {
    data = await resp.json();
  } catch {
    data = null;
  }
  if (!resp.ok) {
    if (resp.status === 401 && path !== "/api/login") onUnauthorised();
    throw new APIError(resp.status, (data && data.error) || resp.statusText);
  }
  return data;
}

export const get = (path) => api("GET", path);

export async function login(user, password) {
  const r = await api("POST", "/api/login", { user, password });
  csrf = r.csrf;
  sessionStorage.setItem("pharos.csrf", csrf);
  sessionStorage.setItem("pharos.user", JSON.stringify({ user: r.user, role: r.role }));
  return r;
}

export async function logout() {
  try {
    await api("POST", "/api/logout");
  } finally {
    forget();
  }
}

export function forget() {
  csrf = "";
  sessionStorage.removeItem("pharos.csrf");
  sessionStorage.removeItem("pharos.user");
}

// session is the user of a session kept across a reload, or null.
export function session() {
  try {
    return JSON.parse(sessionStorage.getItem("pharos.user") || "null");
  } catch {
    return null;
  }
}

// What each role may do, as internal/server/auth grants it: the UI only
// offers what the node will accept.
const grants = {
  operator: ["incidents", "sections", "areas", "operational"],
  analyst: ["watchlist", "areas", "analysis"],
  administrator: ["sections", "areas", "watchlist", "operational", "analysis", "users"],
  auditor: [],
};

export function can(role, what) {
  return (grants[role] || []).includes(what);
}

/**
 * Opens the live stream; handlers maps event names to functions of the
 * decoded object. EventSource reconnects by itself; onState hears
 * "open" and "error".
 */
export function stream(handlers, onState) {
  const es = new EventSource("/api/stream");
  for (const [name, f] of Object.entries(handlers)) {
    es.addEventListener(name, (m) => f(JSON.parse(m.data), m.data));
  }
  es.onopen = () => onState("open");
  es.onerror = () => onState(es.readyState === EventSource.CLOSED ? "closed" : "error");
  return es;
}
