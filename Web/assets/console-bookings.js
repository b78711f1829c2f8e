// Bookings (/host/bookings upcoming, /host/bookings/past): GET /api/bookings, page by page
// (next_cursor); cancelling with POST /api/bookings/{id}/cancel {reason}.

import {
  h, replace, button, loading, noticeSlot, whileBusy, describeError, announce, confirmDialog, field, swatch, srOnly,
} from './console-ui.js';
import { formatDay, formatTimeRange, formatTime, dateIn, nowInstant } from './console-time.js';
import { allMeetingTypes } from './console-types.js';

const PAGE = 20;

export async function render(ctx) {
  const past = ctx.params[0] === 'past';
  const zone = ctx.user.time_zone;
  ctx.pageHeader('Bookings', {
    documentTitle: past ? 'Past bookings' : 'Upcoming bookings',
    lead: h('span', {}, 'Times are in your time zone, ', h('strong', {}, zone), '.'),
  });
  const tabs = h('div', { class: 'console-tabs', role: 'group', 'aria-label': 'Which bookings' },
    h('a', { class: 'console-tabs__tab', href: '/host/bookings', id: 'bookings-tab-upcoming', 'aria-current': past ? null : 'page' }, 'Upcoming'),
    h('a', { class: 'console-tabs__tab', href: '/host/bookings/past', id: 'bookings-tab-past', 'aria-current': past ? 'page' : null }, 'Past'));
  const region = h('div', { class: 'console-region', 'aria-busy': 'true' }, loading(past ? 'Loading past bookings…' : 'Loading upcoming bookings…'));
  ctx.main.append(tabs, region);

  // One instant for every page, so a page boundary never moves while the person reads.
  const now = nowInstant();
  // Past bookings the latest first; upcoming ones the soonest first.
  const query = past ? `to=${encodeURIComponent(now)}&order=desc` : `status=confirmed&from=${encodeURIComponent(now)}`;
  const [types, first] = await Promise.all([
    allMeetingTypes(ctx.request).catch((e) => { if (e.quiet || e.name === 'AbortError') throw e; return []; }),
    ctx.request(`/api/bookings?${query}&limit=${PAGE}`),
  ]);
  region.removeAttribute('aria-busy');
  const typeById = new Map(types.map((t) => [t.id, t]));

  const messages = noticeSlot('bookings-notice');
  const listEl = h('div', { class: 'console-bookings', id: 'bookings-list' });
  const moreButton = button(past ? 'Show more past bookings' : 'Show more bookings', { variant: 'quiet', id: 'bookings-more' });
  const empty = h('div', { class: 'card console-empty-state', id: 'bookings-empty' },
    h('h2', {}, past ? 'No past bookings' : 'No upcoming bookings'),
    h('p', {}, past ? 'Meetings that have taken place will be listed here.' : 'When someone books one of your meeting types, it appears here.'),
    past ? null : h('a', { href: '/host/profile' }, 'Find your booking links'));
  let cursor = first.next_cursor;
  let count = 0;
  let lastDay = null;
  let lastGroup = null;

  function addPage(bookings) {
    for (const booking of bookings) {
      const day = dateIn(booking.start_time, zone);
      if (day !== lastDay) {
        lastDay = day;
        const headingId = `bookings-day-${day}`;
        lastGroup = h('ul', { class: 'console-booking-list', 'aria-labelledby': headingId });
        listEl.append(h('section', { class: 'console-booking-day' },
          h('h2', { class: 'console-booking-day__title', id: headingId }, formatDay(booking.start_time, zone)),
          lastGroup));
      }
      lastGroup.append(bookingItem(booking));
      count += 1;
    }
    empty.hidden = count > 0;
    listEl.hidden = count === 0;
    moreButton.hidden = !cursor;
  }

  function bookingItem(booking) {
    const type = typeById.get(booking.meeting_type_id);
    const typeName = type ? type.name : 'Meeting';
    const when = `${formatDay(booking.start_time, zone)}, ${formatTimeRange(booking.start_time, booking.end_time, zone)}`;
    const item = h('li', { class: `card console-booking console-booking--${booking.status}`, dataset: { bookingId: booking.id, status: booking.status } });
    const draw = (b) => {
      const answers = Object.entries(b.answers || {});
      const theirTime = b.invitee_timezone && b.invitee_timezone !== zone
        ? `Their time: ${formatTime(b.start_time, b.invitee_timezone)} (${b.invitee_timezone})`
        : `Time zone: ${b.invitee_timezone}`;
      const cancelButton = b.status === 'confirmed' && !past && new Date(b.start_time) > new Date()
        ? button('Cancel', { variant: 'quiet', small: true, ariaLabel: `Cancel the meeting with ${b.invitee_name}, ${when}` })
        : null;
      if (cancelButton) {
        cancelButton.dataset.action = 'cancel';
        cancelButton.classList.add('console-danger-text');
        cancelButton.addEventListener('click', () => cancel(b, cancelButton));
      }
      item.className = `card console-booking console-booking--${b.status}`;
      item.dataset.status = b.status;
      replace(item,
        h('div', { class: 'console-booking__when' },
          h('p', { class: 'console-booking__time' }, formatTimeRange(b.start_time, b.end_time, zone))),
        h('div', { class: 'console-booking__main' },
          h('h3', { class: 'console-booking__title' },
            h('span', { class: 'console-booking__invitee' }, b.invitee_name),
            b.status !== 'confirmed' ? h('span', { class: 'console-badge console-badge--muted' }, b.status === 'cancelled' ? 'Cancelled' : 'Rescheduled') : null),
          h('p', { class: 'console-booking__type' }, swatch(type?.color || '#64748b'), ' ', typeName),
          h('p', { class: 'console-booking__meta' },
            h('a', { href: `mailto:${b.invitee_email}` }, b.invitee_email), h('span', { 'aria-hidden': 'true' }, ' · '), srOnly('. '), theirTime),
          b.cancel_reason ? h('p', { class: 'console-booking__meta' }, `Reason: ${b.cancel_reason}`) : null,
          answers.length ? h('dl', { class: 'console-answers' }, answers.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])) : null),
        cancelButton ? h('div', { class: 'console-booking__actions' }, cancelButton) : null);
    };
    draw(booking);
    item._draw = draw;
    return item;
  }

  async function cancel(booking, opener) {
    const when = `${formatDay(booking.start_time, zone)}, ${formatTimeRange(booking.start_time, booking.end_time, zone)}`;
    let updated = null;
    const done = await confirmDialog({
      id: 'cancel-dialog',
      title: `Cancel the meeting with ${booking.invitee_name}?`,
      message: `${when}. ${booking.invitee_name} gets an email saying it is cancelled, with your reason.`,
      body: field({ id: 'cancel-reason', label: 'Reason', type: 'textarea', optional: true, attrs: { rows: '3', maxlength: '1000' } }),
      confirmLabel: 'Cancel meeting',
      busyLabel: 'Cancelling…',
      cancelLabel: 'Keep meeting',
      danger: true,
      onConfirm: async ({ form }) => {
        const reason = form.querySelector('#cancel-reason').value.trim();
        updated = await ctx.request(`/api/bookings/${booking.id}/cancel`, { method: 'POST', body: reason ? { reason } : {} });
      },
    });
    if (!done || !updated) return;
    const item = opener.closest('.console-booking');
    item._draw(updated);
    messages.show('success', `The meeting with ${booking.invitee_name} on ${when} is cancelled.`);
    item.setAttribute('tabindex', '-1');
    item.focus();
  }

  moreButton.addEventListener('click', () => whileBusy(moreButton, 'Loading…', async () => {
    try {
      const page = await ctx.request(`/api/bookings?${query}&limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`);
      cursor = page.next_cursor;
      const before = count;
      addPage(page.data);
      announce(`${count - before} more bookings shown.`);
    } catch (error) {
      if (error.name === 'AbortError' || error.quiet) return;
      messages.show('error', describeError(error));
    }
  }));

  region.replaceChildren(messages.element, empty, listEl, h('div', { class: 'console-actions' }, moreButton));
  addPage(first.data);
}
