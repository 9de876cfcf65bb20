// The rider's map: nearest stations, filters in the URL, clusters at low zoom, a detail sheet.
// Everything comes from the public API (/api/v1/); untrusted text only ever goes in through
// textContent or DOM attributes, never innerHTML.
import { gcj02ToWgs84, wgs84ToGcj02 } from "./crs.js";
import { aborted, clearNotice, el, getJSON, notify } from "./dom.js";
import * as fmt from "./format.js";

const { gettext, interpolate } = fmt;
const ngettext = window.ngettext || ((one, many, n) => (n === 1 ? one : many));
const config = JSON.parse(document.getElementById("map-config").textContent);
const L = window.L;
const $ = (id) => document.getElementById(id);
const app = $("app");
const amenityInfo = new Map(config.amenities.map((a) => [a.code, a]));

const state = {
  filters: {
    open_now: config.state.open_now,
    open_24h: config.state.open_24h,
    amenity: config.state.amenity,
    operator: config.state.operator,
  },
  q: config.state.q,
  origin: null, // {lat, lng, kind: "gps" | "tap" | "place", label}
  nearest: [],
  selected: null,
};

// ------------------------------------------------------------------ coordinates
// Stations are WGS-84; GCJ-02 tiles (Amap, Tencent) need markers shifted to sit on the right street.
const shifted = config.tileCrs === "gcj02";
const toMap = (lat, lng) => (shifted ? wgs84ToGcj02(lat, lng) : [lat, lng]);
const fromMap = (latlng) => (shifted ? gcj02ToWgs84(latlng.lat, latlng.lng) : [latlng.lat, latlng.lng]);
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

function filterParams() {
  const params = new URLSearchParams();
  if (state.filters.open_now) params.set("open_now", "true");
  if (state.filters.open_24h) params.set("open_24h", "true");
  if (state.filters.amenity.length) params.set("amenity", state.filters.amenity.join(","));
  if (state.filters.operator.length) params.set("operator", state.filters.operator.join(","));
  return params;
}


// ------------------------------------------------------------------------ map
const initial = config.state.lat !== null ? [config.state.lat, config.state.lng] : config.center;
const initialZoom = config.state.zoom ?? (config.state.lat !== null ? config.stationZoom : config.zoom);
const map = L.map("map", { minZoom: config.minZoom, maxZoom: config.maxZoom, zoomControl: true });
map.setView(toMap(initial[0], initial[1]), initialZoom);
window.waystationMap = map; // for the browser tests and for riders' bookmarklets alike

const tiles = L.tileLayer(config.tiles.url, config.tiles.options || {});
let tileFailures = 0;
tiles.on("tileerror", () => {
  tileFailures += 1;
  if (tileFailures === 1) {
    app.dataset.tiles = "failed";
    notify(gettext("The map background could not be loaded. Stations, the list, search and navigation still work."), "tiles");
  }
});
tiles.addTo(map);

const clusterLayer = L.layerGroup().addTo(map);
const stationLayer = L.layerGroup().addTo(map);
const originLayer = L.layerGroup().addTo(map);
const markers = new Map();
let viewStations = [];
let clusters = [];

function stationMarker(station, rank) {
  const tone = fmt.status(station).tone;
  const label = rank ? String(rank) : station.is_24_7 ? "24" : "";
  const icon = L.divIcon({
    className: `st-marker ${tone}${rank ? " ranked" : ""}`,
    html: el("span", { class: "pin" }, label),
    iconSize: [40, 40],
    iconAnchor: [20, 20],
  });
  const marker = L.marker(toMap(station.lat, station.lng), {
    icon,
    title: station.name,
    alt: station.name,
    zIndexOffset: rank ? 1000 - rank : 0,
    riseOnHover: true,
  });
  marker.on("click", () => select(station.id, { from: "map" }));
  marker.addTo(stationLayer);
  marker.getElement().dataset.id = station.id;
  markers.set(station.id, marker);
}

function clusterMarker(cluster) {
  const digits = String(cluster.count).length;
  const size = digits <= 2 ? 44 : digits === 3 ? 52 : 60;
  const icon = L.divIcon({
    className: "cluster-marker",
    html: el("span", { class: "count" }, String(cluster.count)),
    iconSize: [size, size],
    iconAnchor: [size / 2, size / 2],
  });
  const title = interpolate(ngettext("%(n)s station here", "%(n)s stations here", cluster.count), { n: cluster.count }, true);
  const marker = L.marker(toMap(cluster.lat, cluster.lng), { icon, title, alt: title });
  marker.on("click", () => {
    const [w, s, e, n] = cluster.bbox;
    const zoomIn = Math.min(map.getZoom() + 3, config.maxZoom);
    if (e - w < 1e-6 && n - s < 1e-6) map.setView(toMap(cluster.lat, cluster.lng), Math.max(zoomIn, config.stationZoom));
    else map.fitBounds(L.latLngBounds([toMap(s, w), toMap(n, e)]), { padding: [40, 40], maxZoom: zoomIn });
  });
  marker.addTo(clusterLayer);
  marker.getElement().dataset.count = cluster.count;
}

function singleMarker(cluster) {
  const icon = L.divIcon({ className: "st-marker single", html: el("span", { class: "pin" }), iconSize: [32, 32], iconAnchor: [16, 16] });
  const title = gettext("Station");
  const marker = L.marker(toMap(cluster.lat, cluster.lng), { icon, title, alt: title });
  marker.on("click", () => select(cluster.id, { from: "map" }));
  marker.addTo(clusterLayer);
  marker.getElement().dataset.id = cluster.id;
  markers.set(cluster.id, marker);
}

function renderMarkers() {
  clusterLayer.clearLayers();
  stationLayer.clearLayers();
  markers.clear();
  const ranks = new Map(state.nearest.map((s, i) => [s.id, i + 1]));
  const shown = new Map(viewStations.map((s) => [s.id, s]));
  // Over clusters, ranked pins would hide the counts: show only the selected station there.
  const detailed = map.getZoom() >= config.stationZoom;
  for (const s of state.nearest) if (detailed || s.id === state.selected) shown.set(s.id, s);
  for (const c of clusters) {
    if (c.count === 1 && c.id !== null) {
      if (!shown.has(c.id)) singleMarker(c);
    } else {
      clusterMarker(c);
    }
  }
  for (const [id, station] of shown) stationMarker(station, ranks.get(id));
  highlight(state.selected);
}

function viewportBBox() {
  const bounds = map.getBounds().pad(0.15);
  const [s, w] = fromMap(bounds.getSouthWest());
  const [n, e] = fromMap(bounds.getNorthEast());
  return [clamp(w, -180, 180), clamp(s, -90, 90), clamp(e, -180, 180), clamp(n, -90, 90)].map((v) => v.toFixed(6)).join(",");
}

async function loadViewport() {
  const zoom = map.getZoom();
  const params = filterParams();
  params.set("bbox", viewportBBox());
  const status = $("view-status");
  try {
    if (zoom < config.stationZoom) {
      params.set("zoom", String(zoom));
      const data = await getJSON("view", `${config.api.clusters}?${params}`);
      clusters = data.clusters;
      viewStations = [];
      app.dataset.view = "clusters";
      status.textContent = interpolate(ngettext("%(n)s station in view", "%(n)s stations in view", data.count), { n: data.count }, true);
    } else {
      params.set("compact", "true");
      params.set("page_size", String(config.viewportLimit));
      const data = await getJSON("view", `${config.api.stations}?${params}`);
      viewStations = data.results;
      clusters = [];
      app.dataset.view = "stations";
      status.textContent =
        data.count > data.results.length
          ? interpolate(gettext("Showing %(shown)s of %(n)s stations here; zoom in to see all."), { shown: data.results.length, n: data.count }, true)
          : interpolate(ngettext("%(n)s station in view", "%(n)s stations in view", data.count), { n: data.count }, true);
    }
    clearNotice("view");
    renderMarkers();
    app.dataset.viewLoads = String(Number(app.dataset.viewLoads || 0) + 1);
  } catch (error) {
    if (!aborted(error)) notify(gettext("Could not load the stations on the map. Check your connection and move the map to retry."), "view");
  }
}

// ------------------------------------------------------------------ nearest list
function origin() {
  if (state.origin) return state.origin;
  const [lat, lng] = fromMap(map.getCenter());
  return { lat, lng, kind: "centre" };
}

function originText(o) {
  if (o.kind === "gps") return gettext("near you");
  if (o.kind === "tap") return gettext("near the point you chose");
  if (o.kind === "place") return interpolate(gettext("near %(place)s"), { place: o.label }, true);
  return gettext("near the map centre");
}

async function loadNearest() {
  const o = origin();
  const params = filterParams();
  params.set("lat", o.lat.toFixed(6));
  params.set("lng", o.lng.toFixed(6));
  params.set("limit", "20");
  $("list-origin").textContent = originText(o);
  try {
    const data = await getJSON("nearest", `${config.api.nearest}?${params}`);
    state.nearest = data.results;
    renderList();
    renderMarkers();
  } catch (error) {
    if (aborted(error)) return;
    $("list-status").textContent = gettext("Could not load the nearest stations. Check your connection and try again.");
  }
}

function amenityChips(codes) {
  const box = el("span", { class: "amenities" });
  for (const code of codes) {
    const info = amenityInfo.get(code);
    if (info) box.append(el("span", { class: "amenity" }, el("span", { "aria-hidden": "true" }, info.icon), ` ${info.label}`));
  }
  return box;
}

function statusLine(station) {
  const s = fmt.status(station);
  return el("span", { class: `status ${s.tone}` }, s.text);
}

function renderList() {
  const list = $("nearest");
  list.replaceChildren();
  state.nearest.forEach((station, i) => {
    const meta = [fmt.distance(station.distance_m), fmt.ebikeMinutes(station.minutes_by_ebike)].join(" · ");
    const button = el(
      "button",
      { type: "button", class: "item", onclick: () => select(station.id, { from: "list" }) },
      el("span", { class: "rank", "aria-hidden": "true" }, String(i + 1)),
      el(
        "span",
        { class: "body" },
        el("span", { class: "name" }, station.name, station.is_24_7 ? el("span", { class: "badge" }, gettext("24 h")) : null),
        el("span", { class: "meta" }, meta),
        statusLine(station),
        amenityChips(station.amenities),
      ),
    );
    list.append(el("li", { class: "station-item", "data-id": station.id }, button));
  });
  const status = $("list-status");
  if (state.nearest.length) {
    status.textContent = "";
  } else if (state.filters.open_now || state.filters.open_24h || state.filters.amenity.length || state.filters.operator.length) {
    status.textContent = gettext("No station nearby matches these filters. Try turning off “Open now” or other filters.");
  } else {
    status.textContent = gettext("No stations nearby yet.");
  }
  list.dataset.loaded = "true";
  highlight(state.selected);
}

// --------------------------------------------------------------------- selection
function highlight(id) {
  for (const [key, marker] of markers) marker.getElement()?.classList.toggle("selected", key === id);
  for (const item of $("nearest").children) {
    const on = Number(item.dataset.id) === id;
    item.classList.toggle("selected", on);
    if (on) item.setAttribute("aria-current", "true");
    else item.removeAttribute("aria-current");
  }
}

function select(id, { from }) {
  state.selected = id;
  highlight(id);
  const near = state.nearest.find((s) => s.id === id);
  if (from === "list" && near && map.getZoom() < config.stationZoom) {
    map.setView(toMap(near.lat, near.lng), config.stationZoom);
  } else if (from === "list" && near) {
    const point = L.latLng(toMap(near.lat, near.lng));
    if (!map.getBounds().contains(point)) map.panTo(point);
  }
  renderMarkers();
  if (from === "map") $("nearest").querySelector(`[data-id="${id}"]`)?.scrollIntoView({ block: "nearest" });
  openSheet(id);
}

async function openSheet(id) {
  const sheet = $("sheet");
  let station;
  try {
    station = await getJSON("station", config.api.station.replace(/0\/$/, `${id}/`));
  } catch (error) {
    if (!aborted(error)) notify(gettext("Could not load this station. Check your connection and try again."), "station");
    return;
  }
  $("sheet-name").textContent = station.name;
  const near = state.nearest.find((s) => s.id === id);
  const line = [fmt.status(station).text];
  if (near) line.push(fmt.distance(near.distance_m), fmt.ebikeMinutes(near.minutes_by_ebike));
  const statusNode = $("sheet-status");
  statusNode.replaceChildren(el("span", { class: `status ${fmt.status(station).tone}` }, line.join(" · ")));
  if (station.is_24_7) statusNode.append(" ", el("span", { class: "badge" }, gettext("24 h")));
  $("sheet-address").textContent = station.address || "—";
  $("sheet-hours").replaceChildren(...station.hours_summary.map((text) => el("span", { class: "line" }, text)));
  const amenities = amenityChips(station.amenities);
  $("sheet-amenities").replaceChildren(station.amenities.length ? amenities : "—");
  $("sheet-phone").replaceChildren(station.phone ? el("a", { href: `tel:${station.phone.replace(/[^0-9+]/g, "")}`, class: "phone" }, station.phone) : "—");
  $("sheet-verified").textContent = station.last_verified_at ? fmt.date(station.last_verified_at) : gettext("never");
  const web = station.navigation.filter((n) => !n.app);
  const apps = station.navigation.filter((n) => n.app);
  const link = (n) =>
    el("a", { class: `btn nav ${n.provider}`, href: n.url, "data-provider": n.provider, target: n.app ? null : "_blank", rel: "noopener" }, n.label);
  $("sheet-nav").replaceChildren(...web.map(link));
  $("sheet-nav-apps").replaceChildren(...apps.map(link));
  $("sheet-page").setAttribute("href", config.stationPage.replace(/0\/$/, `${id}/`));
  $("sheet-report").setAttribute("href", config.reportUrl.replace("{id}", String(id)));
  sheet.dataset.id = id;
  sheet.hidden = false;
  $("sheet-close").focus({ preventScroll: true });
}

function closeSheet() {
  const sheet = $("sheet");
  if (sheet.hidden) return false;
  sheet.hidden = true;
  const item = $("nearest").querySelector(`[data-id="${sheet.dataset.id}"] button`);
  item?.focus({ preventScroll: true });
  return true;
}

$("sheet-close").addEventListener("click", closeSheet);
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") closeSheet();
});

// ------------------------------------------------------------------- position
function setOrigin(o) {
  state.origin = o;
  originLayer.clearLayers();
  L.circleMarker(toMap(o.lat, o.lng), { radius: 9, className: `origin ${o.kind}`, weight: 3 }).addTo(originLayer);
  loadNearest();
}

function locate() {
  if (!("geolocation" in navigator)) {
    notify(gettext("This browser cannot share your position. Tap the map where you are, or search a place."), "geo");
    return;
  }
  const button = $("locate");
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  navigator.geolocation.getCurrentPosition(
    (position) => {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      clearNotice("geo");
      const { latitude, longitude } = position.coords;
      setOrigin({ lat: latitude, lng: longitude, kind: "gps" });
      map.setView(toMap(latitude, longitude), Math.max(map.getZoom(), config.stationZoom));
    },
    (error) => {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      const messages = {
        1: gettext("Location permission was denied. Tap the map where you are, or search a station or address."),
        2: gettext("Your position is unavailable right now. Tap the map where you are, or search a station or address."),
        3: gettext("Finding your position took too long. Try again, tap the map, or search a station or address."),
      };
      notify(messages[error.code] || messages[2], "geo");
    },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
  );
}

$("locate").addEventListener("click", locate);
map.on("click", (event) => {
  if (closeSheet()) return; // the first tap outside the sheet only closes it
  const [lat, lng] = fromMap(event.latlng);
  setOrigin({ lat, lng, kind: "tap" });
});

// --------------------------------------------------------------------- search
function searchMessage(error) {
  if (error.body?.code === "not_configured") return gettext("Address search is not set up on this server; search station names instead.");
  if (error.status === 503) return gettext("The address search service is unavailable; try again later.");
  if (error.status === 400) return gettext("This search cannot be used; shorten it or use other words.");
  return gettext("Search failed. Check your connection and try again.");
}

async function search(q) {
  const section = $("search-results");
  if (!q) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  $("search-title").textContent = interpolate(gettext("Results for “%(q)s”"), { q }, true);
  $("search-status").textContent = gettext("Searching…");
  const list = $("search-list");
  list.replaceChildren();
  const tasks = [getJSON("search", `${config.api.stations}?${new URLSearchParams({ q, compact: "true", page_size: "20" })}`)];
  if (config.geocoding) tasks.push(getJSON("geocode", `${config.api.geocode}?${new URLSearchParams({ q })}`));
  const [stations, places] = await Promise.allSettled(tasks);
  const problems = [];
  if (stations.status === "fulfilled") {
    for (const station of stations.value.results) {
      const go = () => {
        map.setView(toMap(station.lat, station.lng), Math.max(map.getZoom(), config.stationZoom));
        select(station.id, { from: "search" });
      };
      list.append(el("li", { "data-id": station.id }, el("button", { type: "button", class: "item", onclick: go }, el("span", { class: "name" }, station.name), statusLine(station))));
    }
  } else if (!aborted(stations.reason)) {
    problems.push(searchMessage(stations.reason));
  }
  if (places && places.status === "fulfilled") {
    for (const place of places.value.results) {
      const go = () => {
        setOrigin({ lat: place.lat, lng: place.lng, kind: "place", label: place.address });
        map.setView(toMap(place.lat, place.lng), Math.max(map.getZoom(), config.stationZoom));
      };
      list.append(el("li", { class: "place" }, el("button", { type: "button", class: "item", onclick: go }, el("span", { "aria-hidden": "true" }, "📍 "), place.address)));
    }
  } else if (places && !aborted(places.reason)) {
    problems.push(searchMessage(places.reason));
  }
  const found = list.children.length;
  const status = found ? interpolate(ngettext("%(n)s result", "%(n)s results", found), { n: found }, true) : interpolate(gettext("No stations or places match “%(q)s”."), { q }, true);
  $("search-status").textContent = [status, ...problems].join(" ");
}

$("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  state.q = $("search-input").value.trim().slice(0, 100);
  updateUrl();
  search(state.q);
});
$("search-clear").addEventListener("click", () => {
  state.q = "";
  $("search-input").value = "";
  $("search-results").hidden = true;
  updateUrl();
});

// -------------------------------------------------------------------- filters
function readFilters() {
  const form = $("filters");
  state.filters = {
    open_now: form.elements.open_now.checked,
    open_24h: form.elements.open_24h.checked,
    amenity: [...form.querySelectorAll("input[name=amenity]:checked")].map((i) => i.value),
    operator: form.elements.operator.value ? [form.elements.operator.value] : [],
  };
  const n = state.filters.amenity.length;
  $("amenity-count").textContent = n ? `(${n})` : "";
}

$("filters").addEventListener("change", () => {
  readFilters();
  updateUrl();
  loadViewport();
  loadNearest();
});

function updateUrl() {
  const params = new URLSearchParams();
  if (!state.filters.open_now) params.set("open_now", "0");
  if (state.filters.open_24h) params.set("open_24h", "1");
  if (state.filters.amenity.length) params.set("amenity", state.filters.amenity.join(","));
  if (state.filters.operator.length) params.set("operator", state.filters.operator.join(","));
  if (state.q) params.set("q", state.q);
  const [lat, lng] = fromMap(map.getCenter());
  params.set("lat", lat.toFixed(5));
  params.set("lng", lng.toFixed(5));
  params.set("zoom", String(map.getZoom()));
  history.replaceState(null, "", `${location.pathname}?${params}`);
  // The language switch returns to this page with the same filters and view.
  const next = document.querySelector(".lang input[name=next]");
  if (next) next.value = `${location.pathname}?${params}`;
}

// ---------------------------------------------------------------------- start
let moveTimer = null;
map.on("moveend", () => {
  clearTimeout(moveTimer);
  moveTimer = setTimeout(() => {
    loadViewport();
    if (!state.origin) loadNearest();
    updateUrl();
  }, 200);
});

readFilters();
loadViewport();
loadNearest();
if (state.q) search(state.q);
if (navigator.permissions && navigator.geolocation) {
  navigator.permissions
    .query({ name: "geolocation" })
    .then((permission) => {
      if (permission.state === "granted") locate();
    })
    .catch(() => {});
}
app.dataset.ready = "true";
