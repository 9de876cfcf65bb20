// Words and numbers for the map: distances, travel times, "closes at 23:00" in Asia/Shanghai.
// Strings come from Django's JavaScript catalogue (/jsi18n/), loaded before this module.

const ZONE = "Asia/Shanghai";
export const gettext = window.gettext || ((s) => s);
export const interpolate = window.interpolate || ((fmt, obj) => fmt.replace(/%\((\w+)\)s/g, (_m, k) => String(obj[k])));
const LANG = document.documentElement.lang || "zh-hans";
const LOCALE = LANG.startsWith("zh") ? "zh-CN" : "en-GB";

const timeFormat = new Intl.DateTimeFormat(LOCALE, { timeZone: ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const dayFormat = new Intl.DateTimeFormat(LOCALE, { timeZone: ZONE, weekday: "short" });
const dateKey = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" });
const dateFormat = new Intl.DateTimeFormat(LOCALE, { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

export function distance(metres) {
  if (metres < 1000) return interpolate(gettext("%(m)s m"), { m: Math.round(metres) }, true);
  const km = metres / 1000;
  return interpolate(gettext("%(km)s km"), { km: km < 10 ? km.toFixed(1) : Math.round(km) }, true);
}

export function ebikeMinutes(minutes) {
  return interpolate(gettext("%(n)s min by e-bike"), { n: minutes }, true);
}

// "23:00" today, "Mon 08:00" on another day, always on the Shanghai clock.
export function when(iso) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return "";
  const time = timeFormat.format(moment);
  if (dateKey.format(moment) === dateKey.format(new Date())) return time;
  return `${dayFormat.format(moment)} ${time}`;
}

export function date(iso) {
  const moment = new Date(iso);
  return Number.isNaN(moment.getTime()) ? "" : dateFormat.format(moment);
}

// One line a rider reads at a glance: open or closed, and until when.
export function status(station) {
  if (station.status === "permanently_closed") return { text: gettext("Permanently closed"), tone: "closed" };
  if (station.is_24_7 && station.status === "open") return { text: gettext("Open 24 hours"), tone: "open" };
  if (station.is_open === true) {
    const text = station.next_change
      ? interpolate(gettext("Open · closes at %(time)s"), { time: when(station.next_change) }, true)
      : gettext("Open now");
    return { text, tone: "open" };
  }
  if (station.is_open === false) {
    const label = station.status === "temporarily_closed" ? gettext("Temporarily closed") : gettext("Closed");
    const text = station.next_change
      ? interpolate(gettext("%(state)s · opens at %(time)s"), { state: label, time: when(station.next_change) }, true)
      : label;
    return { text, tone: "closed" };
  }
  return { text: gettext("Hours unknown"), tone: "unknown" };
}
