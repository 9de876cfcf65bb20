// WGS-84 ⇄ GCJ-02, the same formulas as stations/crs.py (kept in step by tests/stations/test_location_picker.py).
const A = 6378245.0;
const EE = 0.006693421622965943;

export function outsideChina(lat, lng) {
  return !(lng > 73.66 && lng < 135.05 && lat > 3.86 && lat < 53.55);
}

function delta(lat, lng) {
  const x = lng - 105.0;
  const y = lat - 35.0;
  const PI = Math.PI;
  let dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  dlat += ((20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0) / 3.0;
  dlat += ((20.0 * Math.sin(y * PI) + 40.0 * Math.sin((y / 3.0) * PI)) * 2.0) / 3.0;
  dlat += ((160.0 * Math.sin((y / 12.0) * PI) + 320 * Math.sin((y * PI) / 30.0)) * 2.0) / 3.0;
  let dlng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  dlng += ((20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0) / 3.0;
  dlng += ((20.0 * Math.sin(x * PI) + 40.0 * Math.sin((x / 3.0) * PI)) * 2.0) / 3.0;
  dlng += ((150.0 * Math.sin((x / 12.0) * PI) + 300.0 * Math.sin((x / 30.0) * PI)) * 2.0) / 3.0;
  const rad = (lat / 180.0) * PI;
  const magic = 1 - EE * Math.sin(rad) ** 2;
  const sqrtMagic = Math.sqrt(magic);
  dlat = (dlat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * PI);
  dlng = (dlng * 180.0) / ((A / sqrtMagic) * Math.cos(rad) * PI);
  return [dlat, dlng];
}

export function wgs84ToGcj02(lat, lng) {
  if (outsideChina(lat, lng)) return [lat, lng];
  const [dlat, dlng] = delta(lat, lng);
  return [lat + dlat, lng + dlng];
}

export function gcj02ToWgs84(lat, lng) {
  if (outsideChina(lat, lng)) return [lat, lng];
  let wlat = lat;
  let wlng = lng;
  for (let i = 0; i < 30; i += 1) {
    const [glat, glng] = wgs84ToGcj02(wlat, wlng);
    const errLat = glat - lat;
    const errLng = glng - lng;
    if (Math.abs(errLat) < 1e-7 && Math.abs(errLng) < 1e-7) break;
    wlat -= errLat;
    wlng -= errLng;
  }
  return [wlat, wlng];
}
