// Dates, times and zones for the pages.
//
// Two kinds of values meet here: instants (RFC 3339 UTC strings from the API) and calendar
// dates (`YYYY-MM-DD`, a day in some zone). Instants are shown with Intl in a named IANA zone,
// so the wall-clock time matches the API's `HH:mm` for that zone and 12/24-hour follows the
// visitor's locale. Calendar dates are plain strings; their arithmetic goes through
// Date.UTC so no local-zone or DST rule can shift a day.

const formatters = new Map();

/** A cached Intl.DateTimeFormat; null when this browser does not know `options.timeZone`. */
function formatter(options) {
  const key = JSON.stringify(options);
  if (!formatters.has(key)) {
    let value = null;
    try { value = new Intl.DateTimeFormat(undefined, options); } catch { value = null; }
    formatters.set(key, value);
  }
  return formatters.get(key);
}

/** True when this browser's Intl can show times in `zone`. */
export function zoneIsSupported(zone) {
  return Boolean(zone) && formatter({ timeZone: zone }) !== null;
}

/** The visitor's zone as the browser reports it (UTC when it reports none). */
export function detectedZone() {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && zoneIsSupported(zone)) return zone;
  } catch { /* fall through */ }
  return 'UTC';
}

const TIME = { hour: 'numeric', minute: '2-digit' };

/** "9:00 AM" / "09:00": the instant's wall-clock time in `zone`, in the visitor's locale. */
export function formatTime(instant, zone) {
  const f = formatter({ ...TIME, timeZone: zone }) || formatter({ ...TIME, timeZone: 'UTC' });
  return f.format(new Date(instant));
}

/**
 * A wall-clock `HH:mm` (as the slots API gives it) in the visitor's locale. Used when the
 * browser does not know a zone the server does, so the API's own wall-clock time is shown.
 */
export function formatWallClock(hhmm) {
  const [hour, minute] = hhmm.split(':').map(Number);
  return formatter({ ...TIME, timeZone: 'UTC' }).format(new Date(Date.UTC(2000, 0, 1, hour, minute)));
}

/** A slot's start as a label: formatted from its instant in `zone`, or from its `HH:mm`. */
export function formatSlotTime(slot, zone) {
  return zoneIsSupported(zone) ? formatTime(slot.start_time, zone) : formatWallClock(slot.start);
}

/** "9:00 – 9:30 AM" in `zone`. */
export function formatTimeRange(start, end, zone) {
  const f = formatter({ ...TIME, timeZone: zoneIsSupported(zone) ? zone : 'UTC' });
  const a = new Date(start);
  const b = new Date(end);
  // A meeting that ends on the next day (in this zone): both ends as times, the end marked,
  // since formatRange would repeat the full dates under a line that already names the day.
  if (dateInZone(a, zone) !== dateInZone(b, zone)) return `${f.format(a)} – ${f.format(b)} (next day)`;
  return typeof f.formatRange === 'function' ? f.formatRange(a, b) : `${f.format(a)} – ${f.format(b)}`;
}

const LONG_DATE = { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' };

/** "Tuesday, December 8, 2026": the instant's date in `zone`. */
export function formatDateOf(instant, zone, options = LONG_DATE) {
  return formatter({ ...options, timeZone: zoneIsSupported(zone) ? zone : 'UTC' }).format(new Date(instant));
}

/** "Tuesday, December 8, 2026" for a calendar date string. */
export function formatDate(date, options = LONG_DATE) {
  return formatter({ ...options, timeZone: 'UTC' }).format(dateToUTC(date));
}

/** "December 2026" for a month (`YYYY-MM`). */
export function formatMonth(month) {
  return formatter({ month: 'long', year: 'numeric', timeZone: 'UTC' }).format(dateToUTC(`${month}-01`));
}

/** "Tuesday, December 8, 2026, 9:00 – 9:30 AM": a meeting in `zone`. */
export function formatMeeting(start, end, zone) {
  return `${formatDateOf(start, zone)}, ${formatTimeRange(start, end, zone)}`;
}

/** The calendar date (`YYYY-MM-DD`) of an instant in `zone`. */
export function dateInZone(instant, zone) {
  const f = formatter({ year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zoneIsSupported(zone) ? zone : 'UTC' })
    || formatter({ year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' });
  const parts = Object.fromEntries(f.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  // Years are always 4 digits for the dates this app meets; pad anyway.
  return `${parts.year.padStart(4, '0')}-${parts.month}-${parts.day}`;
}

/** "GMT+1": the zone's short offset at `instant` (empty when unknown). */
export function zoneOffset(zone, instant = Date.now()) {
  const f = formatter({ timeZoneName: 'shortOffset', timeZone: zone });
  if (!f) return '';
  return f.formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName')?.value || '';
}

/** "30 minutes", "1 hour", "1 hour 30 minutes". */
export function formatDuration(minutes) {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [];
  if (hours) parts.push(`${hours} ${hours === 1 ? 'hour' : 'hours'}`);
  if (rest || !hours) parts.push(`${rest} ${rest === 1 ? 'minute' : 'minutes'}`);
  return parts.join(' ');
}

// ---- Calendar dates (YYYY-MM-DD strings) ----

function dateToUTC(date) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function utcToDate(value) {
  return value.toISOString().slice(0, 10);
}

/** `date` moved by `days` (may be negative). */
export function addDays(date, days) {
  const value = dateToUTC(date);
  value.setUTCDate(value.getUTCDate() + days);
  return utcToDate(value);
}

/** The month (`YYYY-MM`) of a date. */
export function monthOf(date) {
  return date.slice(0, 7);
}

/** `month` (`YYYY-MM`) moved by `months`. */
export function addMonths(month, months) {
  const [y, m] = month.split('-').map(Number);
  return utcToDate(new Date(Date.UTC(y, m - 1 + months, 1))).slice(0, 7);
}

/** The number of days in a month (`YYYY-MM`). */
export function daysInMonth(month) {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The last date of a month. */
export function lastDateOf(month) {
  return `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date) {
  return dateToUTC(date).getUTCDay();
}

/** The same day of the month in another month, clamped to that month's length. */
export function sameDayIn(month, date) {
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(month));
  return `${month}-${String(day).padStart(2, '0')}`;
}

/** The first day of the week for the visitor's locale (0 = Sunday, 1 = Monday). */
export function firstDayOfWeek() {
  try {
    // The same locale Intl formats with (so the week and the times agree).
    const locale = new Intl.Locale(new Intl.DateTimeFormat().resolvedOptions().locale);
    const info = typeof locale.getWeekInfo === 'function' ? locale.getWeekInfo() : locale.weekInfo;
    if (info && info.firstDay) return info.firstDay % 7;
  } catch { /* older browsers */ }
  return 0;
}

/** Weekday names starting at `first`: [{short: "Mon", long: "Monday"}, …]. */
export function weekdayNames(first = 0) {
  // 2023-01-01 was a Sunday.
  return Array.from({ length: 7 }, (_, i) => {
    const date = addDays('2023-01-01', (first + i) % 7);
    return { short: formatDate(date, { weekday: 'short' }), long: formatDate(date, { weekday: 'long' }) };
  });
}
