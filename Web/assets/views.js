// View pieces the booking page and the manage page share: a booking's facts, its calendar
// file and manage link, and the "not found" card.

import { h, icon } from './dom.js';
import { formatDateOf, formatTimeRange, zoneIsSupported, zoneOffset } from './format.js';
import { bookingCalendar, calendarLink } from './ics.js';

/** The invitee's link to view, cancel or reschedule a booking (what the emails send). */
export function manageURL(booking, token = booking.cancel_token) {
  return `/bookings/${booking.id}?token=${encodeURIComponent(token)}`;
}

/** The reschedule page of a booking. */
export function rescheduleURL(booking, token) {
  return `/bookings/${booking.id}/reschedule?token=${encodeURIComponent(token)}`;
}

/** "30 minute chat with Ada Lovelace" (or the type or host alone when one is unknown). */
export function meetingTitle(meetingType) {
  if (!meetingType) return 'Meeting';
  return meetingType.host?.name ? `${meetingType.name} with ${meetingType.host.name}` : meetingType.name;
}

/** A meeting's time in one zone: the date, the time range, and the zone (with its offset). */
export function timeIn(start, end, requestedZone, { id } = {}) {
  // A zone this browser cannot format (none of the server's 598 in current browsers) shows UTC,
  // labelled as such, rather than UTC times under another zone's name.
  const zone = zoneIsSupported(requestedZone) ? requestedZone : 'UTC';
  const offset = zoneOffset(zone, Date.parse(start));
  return h('span', { class: 'time-in', id },
    h('span', { class: 'time-in__date', text: formatDateOf(start, zone) }), h('br'),
    h('span', { class: 'time-in__time', text: formatTimeRange(start, end, zone) }), ' ',
    h('span', { class: 'muted time-in__zone', text: offset && offset !== zone ? `${zone} (${offset})` : zone }));
}

/**
 * The facts of a booking as a <dl>: what, when in the invitee's zone, when in the host's zone,
 * and who booked (`showWhat`, `showInvitee` leave rows out). `idPrefix` names the <dd>s (`${idPrefix}-time`, `${idPrefix}-host-time`).
 */
export function bookingFacts(booking, meetingType, { idPrefix = 'booking', showWhat = true, showInvitee = true } = {}) {
  const hostZone = meetingType?.host?.time_zone;
  const inviteeZone = booking.invitee_timezone;
  return h('dl', { class: 'facts', id: `${idPrefix}-facts` },
    showWhat ? [h('dt', { text: 'What' }), h('dd', { id: `${idPrefix}-what`, text: meetingTitle(meetingType) })] : null,
    h('dt', { text: 'When' }), h('dd', {}, timeIn(booking.start_time, booking.end_time, inviteeZone, { id: `${idPrefix}-time` })),
    hostZone ? [
      h('dt', { text: `${meetingType.host.name ? `${meetingType.host.name}’s` : 'Host’s'} time` }),
      h('dd', {}, timeIn(booking.start_time, booking.end_time, hostZone, { id: `${idPrefix}-host-time` })),
    ] : null,
    showInvitee ? [
      h('dt', { text: 'Invitee' }),
      h('dd', { id: `${idPrefix}-invitee` }, booking.invitee_name, h('br'), h('span', { class: 'muted', text: booking.invitee_email })),
    ] : null);
}

/** "Add to calendar": a download of the booking as an .ics file (UID = the booking's id). */
export function addToCalendar(booking, meetingType, token = booking.cancel_token, { id = 'add-to-calendar' } = {}) {
  const manage = token ? new URL(manageURL(booking, token), location.origin).href : '';
  const text = bookingCalendar({
    booking,
    summary: meetingTitle(meetingType),
    description: [meetingType?.description, manage ? `Reschedule or cancel: ${manage}` : ''].filter(Boolean).join('\n\n'),
    url: manage,
  });
  const link = calendarLink(text, { filename: `${meetingType?.slug || 'meeting'}.ics`, label: 'Add to calendar', className: 'button', id });
  link.prepend(icon('download'));
  return link;
}

/** A card saying something was not found, with a way on. */
export function notFoundCard({ title = 'Page not found', message, linkHref = '/', linkText = 'Go to the Rendezvous home page' }) {
  return h('section', { class: 'card narrow stack', 'aria-labelledby': 'not-found-heading', id: 'not-found' },
    h('span', { class: 'result-icon result-icon--muted', 'aria-hidden': 'true' }, icon('calendar')),
    h('h1', { id: 'not-found-heading', text: title }),
    h('p', { text: message }),
    h('p', {}, h('a', { href: linkHref, text: linkText })));
}
