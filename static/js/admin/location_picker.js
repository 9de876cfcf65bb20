// The station form's map picker: a Leaflet map bound to the latitude/longitude inputs.
// Stored values are WGS-84; over GCJ-02 tiles the marker is drawn shifted (see ../map/crs.js, shared with the rider map).
import { gcj02ToWgs84, wgs84ToGcj02 } from "../map/crs.js";

const round6 = (value) => Math.round(value * 1e6) / 1e6;

function readPoint(latInput, lngInput) {
  const lat = Number.parseFloat(latInput.value);
  const lng = Number.parseFloat(lngInput.value);
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  if (lat < -90 || lat > 90 || lng < -180 || lng > 180) return null;
  return [lat, lng];
}

function setup(root) {
  const config = JSON.parse(document.getElementById(root.dataset.picker).textContent);
  const latInput = document.getElementById(config.latInput);
  const lngInput = document.getElementById(config.lngInput);
  const status = root.querySelector(".ws-picker-status");
  const mapElement = root.querySelector(".ws-picker-map");
  const say = (text, isError = false) => {
    status.textContent = text;
    status.classList.toggle("is-error", isError);
  };
  if (!latInput || !lngInput || !window.L) {
    say(config.strings.failed, true);
    return;
  }
  const L = window.L;
  const gcj = config.tileCrs === "gcj02";
  const toDisplay = (lat, lng) => (gcj ? wgs84ToGcj02(lat, lng) : [lat, lng]);
  const fromDisplay = (lat, lng) => (gcj ? gcj02ToWgs84(lat, lng) : [lat, lng]);

  const map = L.map(mapElement, { center: config.center, zoom: config.zoom });
  // Tiles are decoration: if they fail (closed network), clicking and dragging still work.
  if (config.tileUrl) L.tileLayer(config.tileUrl, config.tileOptions).addTo(map);
  let marker = null;

  const writeInputs = (lat, lng) => {
    latInput.value = round6(lat).toFixed(6);
    lngInput.value = round6(lng).toFixed(6);
  };
  const placeMarker = (lat, lng, pan) => {
    const shown = toDisplay(lat, lng);
    if (marker === null) {
      marker = L.marker(shown, { draggable: true, autoPan: true }).addTo(map);
      marker.on("dragend", () => {
        const where = marker.getLatLng();
        writeInputs(...fromDisplay(where.lat, where.lng));
      });
    } else {
      marker.setLatLng(shown);
    }
    if (pan) map.setView(shown, Math.max(map.getZoom(), 16), { animate: false });
  };

  const start = readPoint(latInput, lngInput);
  if (start) placeMarker(...start, true);

  map.on("click", (event) => {
    const [lat, lng] = fromDisplay(event.latlng.lat, event.latlng.lng);
    writeInputs(lat, lng);
    placeMarker(lat, lng, false);
  });
  for (const input of [latInput, lngInput]) {
    input.addEventListener("input", () => {
      const point = readPoint(latInput, lngInput);
      if (point) placeMarker(...point, true);
    });
  }

  const query = root.querySelector(".ws-picker-query");
  const search = async () => {
    const text = query.value.trim();
    if (!text) return;
    say(config.strings.searching);
    try {
      const url = `${config.geocodeUrl}?q=${encodeURIComponent(text)}`;
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      const body = await response.json();
      if (!response.ok) {
        say(body.error || (body.q && body.q[0]) || config.strings.failed, true);
        return;
      }
      writeInputs(body.lat, body.lng);
      placeMarker(body.lat, body.lng, true);
      say(config.strings.found.replace("%(address)s", body.address));
    } catch (error) {
      say(config.strings.failed, true);
    }
  };
  root.querySelector(".ws-picker-go").addEventListener("click", search);
  // Enter in the search box searches instead of submitting the station form.
  query.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      search();
    }
  });
  // The fieldset may lay out after the map was created.
  window.setTimeout(() => map.invalidateSize(), 0);
  // A handle for debugging in the console and for the browser tests.
  root.wsPicker = { map, getMarker: () => marker };
  root.dataset.ready = "true";
}

for (const root of document.querySelectorAll(".ws-picker[data-picker]")) setup(root);
