// Dates and times as the console shows them: instants in the host's zone, wall-clock HH:mm
// values in the person's locale, and calendar dates (YYYY-MM-DD) without any zone.

export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const formatters = new Map();
function formatter(options) {
  const key = JSON.stringify(options);
  if (!formatters.has(key)) formatters.set(key, new Intl.DateTimeFormat(undefined, options));
  return formatters.get(key);
}

function validZone(zone) {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return zone;
  } catch {
    return undefined; // A zone the browser does not know (still a valid IANA link): the browser's own.
  }
}

/** "Tuesday, December 8, 2026" for an instant, in `zone`. */
export function formatDay(instant, zone) {
  return formatter({ timeZone: validZone(zone), dateStyle: 'full' }).format(new Date(instant));
}

/** "Dec 8, 2026" for an instant, in `zone`. */
export function formatShortDay(instant, zone) {
  return formatter({ timeZone: validZone(zone), weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' }).format(new Date(instant));
}

/** "10:30 AM" for an instant, in `zone`. */
export function formatTime(instant, zone) {
  return formatter({ timeZone: validZone(zone), timeStyle: 'short' }).format(new Date(instant));
}

/** "10:30 AM – 11:00 AM" for two instants, in `zone`. */
export function formatTimeRange(start, end, zone) {
  return `${formatTime(start, zone)} – ${formatTime(end, zone)}`;
}

/** "Dec 8, 2026, 10:30 AM" for an instant, in `zone`. */
export function formatDateTime(instant, zone) {
  return formatter({ timeZone: validZone(zone), dateStyle: 'medium', timeStyle: 'short' }).format(new Date(instant));
}

/** The calendar date (YYYY-MM-DD) of an instant in `zone`. */
export function dateIn(instant, zone) {
  const parts = formatter({ timeZone: validZone(zone), year: 'numeric', month: '2-digit', day: '2-digit', calendar: 'iso8601', numberingSystem: 'latn' })
    .formatToParts(new Date(instant));
  const get = (type) => parts.find((p) => p.type === type)?.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Today's date (YYYY-MM-DD) in `zone`. */
export function todayIn(zone) {
  return dateIn(Date.now(), zone);
}

/** `date` (YYYY-MM-DD) plus `days`. */
export function addDays(date, days) {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10);
}

/** The weekday (0 = Sunday) of a calendar date. */
export function weekdayOf(date) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** "Thursday, December 24, 2026" for a calendar date (no zone involved). */
export function formatDate(date) {
  const [y, m, d] = date.split('-').map(Number);
  return formatter({ timeZone: 'UTC', dateStyle: 'full' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** "9:00 AM" for a wall-clock HH:mm; 24:00 is "midnight (end of day)". */
export function formatWallTime(hhmm) {
  const [hours, minutes] = hhmm.split(':').map(Number);
  const f = formatter({ timeZone: 'UTC', hour: 'numeric', minute: '2-digit' });
  if (hours === 24) {
    // A 24-hour clock can say 24:00; a 12-hour one says midnight.
    const twelve = ['h11', 'h12'].includes(f.resolvedOptions().hourCycle);
    return twelve ? `${f.format(new Date(Date.UTC(2000, 0, 1, 0, 0)))} (end of day)` : '24:00';
  }
  return f.format(new Date(Date.UTC(2000, 0, 1, hours, minutes)));
}

/** "9:00 AM – 5:00 PM" for a window {start_time, end_time}. */
export function formatWindow(window) {
  return `${formatWallTime(window.start_time)} – ${formatWallTime(window.end_time).replace(' (end of day)', '')}`;
}

/** Minutes since midnight of HH:mm. */
export function minutesOf(hhmm) {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return hours * 60 + minutes;
}

/** HH:mm of minutes since midnight (1440 → 24:00). */
export function hhmmOf(minutes) {
  const m = Math.max(0, Math.min(1440, minutes));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The current instant as whole-second RFC 3339 UTC. */
export function nowInstant() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The browser's IANA time zone. */
export function browserZone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch { return 'UTC'; }
}

/** "2 hours ago" / "in 5 minutes" for an instant. */
export function relative(instant) {
  const seconds = Math.round((new Date(instant).getTime() - Date.now()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

/** "1 h 30 min" for minutes. */
export function formatMinutes(total) {
  if (total < 60) return `${total} min`;
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  if (hours >= 24 && minutes === 0 && hours % 24 === 0) return `${hours / 24} ${hours === 24 ? 'day' : 'days'}`;
  return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
}
