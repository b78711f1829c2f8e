// "Add to calendar": an RFC 5545 iCalendar file made in the browser from a booking, offered as
// a Blob URL on an <a download> (no server round trip, nothing third-party).
//
// The rules kept here: CRLF line endings; DTSTART/DTEND/DTSTAMP as UTC date-times
// (`20261208T090000Z`); TEXT values escape backslash, semicolon, comma and newlines; content
// lines fold at 75 octets (UTF-8 bytes, never splitting a character) with a leading space.

/** `20261208T090000Z` for an instant. */
export function icsDateTime(instant) {
  return new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** A TEXT value escaped (RFC 5545 §3.3.11); other control characters are dropped. */
export function icsText(value) {
  return String(value ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '');
}

const encoder = new TextEncoder();

/** One content line folded so that no line exceeds 75 octets. */
export function foldLine(line) {
  const out = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const character of line) { // iterates by code point
    const size = encoder.encode(character).length;
    if (octets + size > limit && current) {
      out.push(current);
      current = '';
      octets = 0;
      limit = 74; // a continuation's leading space counts
    }
    current += character;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/**
 * The iCalendar text of one booking. `booking`: `{id, start_time, end_time, rescheduled_from?}`; `summary`, `description`, `url` (the manage link, absolute) are optional.
 */
export function bookingCalendar({ booking, summary = 'Meeting', description = '', url = '', now = new Date() }) {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Rendezvous//Booking pages//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    // The same UID as the invitation in our emails (the first booking of a reschedule chain,
    // `@rendezvous`), so importing both gives one event; a moved booking knows only the one
    // before it, which is the first unless it was moved more than once.
    `UID:${booking.rescheduled_from || booking.id}@rendezvous`,
    `DTSTAMP:${icsDateTime(now)}`,
    `DTSTART:${icsDateTime(booking.start_time)}`,
    `DTEND:${icsDateTime(booking.end_time)}`,
    `SUMMARY:${icsText(summary)}`,
    description ? `DESCRIPTION:${icsText(description)}` : null,
    url ? `URL:${url}` : null,
    'STATUS:CONFIRMED',
    `SEQUENCE:${booking.rescheduled_from ? 1 : 0}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ].filter(Boolean);
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

let lastURL = null;

/**
 * An `<a download>` for the calendar text: a Blob URL (text/calendar). Only the newest link's
 * URL is kept alive; making another releases the previous one.
 */
export function calendarLink(text, { filename = 'meeting.ics', label = 'Add to calendar', className = 'button', id } = {}) {
  if (lastURL) URL.revokeObjectURL(lastURL);
  lastURL = URL.createObjectURL(new Blob([text], { type: 'text/calendar;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = lastURL;
  link.download = filename;
  link.className = className;
  if (id) link.id = id;
  link.textContent = label;
  return link;
}
