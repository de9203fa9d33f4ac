// Small DOM helpers. Everything the node sends is put in as text, never
// as HTML: a vessel's name is whatever its AIS transmitter says.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export const $ = (id) => document.getElementById(id);

export function clear(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

export function when(t) {
  if (!t) return "—";
  const d = new Date(t);
  return d.toISOString().slice(11, 19) + "Z";
}

export function whenDay(t) {
  if (!t) return "—";
  return new Date(t).toISOString().slice(0, 16).replace("T", " ") + "Z";
}

// ago writes how long before ref (ms) a time was.
export function ago(t, ref) {
  const s = Math.round((ref - Date.parse(t)) / 1000);
  if (!isFinite(s)) return "";
  if (s < 60) return s + " s ago";
  if (s < 3600) return Math.round(s / 60) + " min ago";
  return (s / 3600).toFixed(1) + " h ago";
}

export const words = (s) => String(s || "").replaceAll("_", " ");

// dialog shows a modal form; fields is a list of elements; it resolves
// with the form's values, or null when cancelled.
export function dialog(title, fields, ok = "Save") {
  const d = $("dialog");
  return new Promise((resolve) => {
    const form = h("form", { method: "dialog" },
      h("h2", {}, title),
      fields,
      h("p", { class: "error", id: "dialog-error" }),
      h("div", { class: "buttons" },
        h("button", { type: "button", value: "cancel", onclick: () => { d.close(); resolve(null); } }, "Cancel"),
        h("button", { type: "submit", class: "primary", id: "dialog-ok" }, ok)));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const data = {};
      for (const el of form.elements) {
        if (!el.name) continue;
        if (el.type === "checkbox") (data[el.name] ||= []), el.checked && data[el.name].push(el.value);
        else data[el.name] = el.value;
      }
      d.close();
      resolve(data);
    });
    d.onclose = () => resolve(null);
    clear(d, form);
    d.showModal();
  });
}

export function field(label, input) {
  return h("label", {}, label, input);
}

export function select(name, options, value) {
  return h("select", { name }, options.map(([v, l]) => h("option", { value: v, selected: v === value }, l)));
}

// toast shows a short message at the bottom of the screen.
export function toast(msg, error = false) {
  const el = h("div", { class: "toast" + (error ? " toast-error" : ""), role: "status" }, msg);
  document.body.append(el);
  setTimeout(() => el.remove(), error ? 6000 : 3000);
}
