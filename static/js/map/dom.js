// Small DOM and fetch helpers for the map. Text goes in as text nodes, never as HTML.
import { gettext } from "./format.js";

const $ = (id) => document.getElementById(id);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

export function notify(text, key) {
  const box = $("notices");
  if (key) box.querySelector(`[data-key="${key}"]`)?.remove();
  const close = el("button", { type: "button", class: "btn icon", "aria-label": gettext("Dismiss") }, "✕");
  const note = el("p", { class: "notice", "data-key": key }, el("span", {}, text), close);
  close.addEventListener("click", () => note.remove());
  box.append(note);
}

export function clearNotice(key) {
  $("notices").querySelector(`[data-key="${key}"]`)?.remove();
}

// One request in flight per channel: a newer request for the same thing aborts the older.
const controllers = {};

export async function getJSON(channel, url) {
  controllers[channel]?.abort();
  const controller = new AbortController();
  controllers[channel] = controller;
  const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const error = new Error(`HTTP ${response.status}`);
    error.status = response.status;
    error.body = body;
    throw error;
  }
  return body;
}

export const aborted = (error) => error.name === "AbortError";
