// The invitee's manage page: /bookings/{id}?token=… (view, cancel) and
// /bookings/{id}/reschedule?token=… (pick a new time). The token is the booking's cancel_token
// from the confirmation or the email; it is the only credential, so it stays in the URL the
// invitee keeps (and the page sends no Referer).

import { api } from './api.js';
import { h, replace, focusHeading, loading, errorNotice, field, setFieldError, setTitle, icon } from './dom.js';
import { dateInZone, formatDuration, formatMeeting } from './format.js';
import { slotPicker } from './calendar.js';
import { addToCalendar, bookingFacts, manageURL, meetingTitle, notFoundCard, rescheduleURL, timeIn } from './views.js';

const main = document.getElementById('main');
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const STATUS_LABEL = { confirmed: 'Confirmed', cancelled: 'Cancelled', rescheduled: 'Rescheduled' };

const state = {
  id: null,
  token: null,
  mode: 'view', // or 'reschedule'
  booking: null,
  type: null, // the public meeting type, or null when it is no longer offered
};

function start() {
  const match = location.pathname.match(new RegExp(`^/bookings/(${UUID})(/reschedule)?/?$`));
  state.token = new URLSearchParams(location.search).get('token');
  if (!match || !state.token) {
    showGone('This link is incomplete: it needs the key from your confirmation email. Open the link in the email again.');
    return;
  }
  state.id = match[1].toLowerCase();
  state.mode = match[2] ? 'reschedule' : 'view';
  load();
}

/** The "no longer manages a booking" card (404 from the API, or a malformed link). */
function showGone(message) {
  setTitle('Link no longer valid');
  replace(main, notFoundCard({
    title: 'This link no longer manages a booking',
    message: message || 'The booking may have been moved to a new time (your most recent email has the link for it), or the link is incomplete.',
  }));
  focusHeading(document.getElementById('not-found-heading'));
}

/** Reads the booking with the token, then its meeting type; shows the current mode. */
async function load({ notice = null } = {}) {
  setTitle('Loading your booking');
  replace(main, loading('Loading your booking…'));
  main.setAttribute('aria-busy', 'true');
  try {
    state.booking = await api(`/api/bookings/${state.id}?token=${encodeURIComponent(state.token)}`);
    state.type = await api(`/api/meeting-types/${state.booking.meeting_type_id}`).catch((error) => {
      if (error.status === 404) return null; // deleted or switched off: the booking still stands
      throw error;
    });
  } catch (error) {
    main.removeAttribute('aria-busy');
    if (error.status === 404 || error.status === 401) {
      showGone();
      return;
    }
    setTitle('Something went wrong');
    replace(main, h('div', { class: 'narrow' }, errorNotice(
      error.status === 0 ? error.message : 'Your booking could not be loaded just now.',
      { title: 'Something went wrong', retry: () => load({ notice }) })));
    return;
  }
  main.removeAttribute('aria-busy');
  if (state.mode === 'reschedule' && canChange()) showReschedule({ notice });
  else showBooking({ notice, focus: Boolean(notice) });
}

function isPast() {
  return Date.parse(state.booking.end_time) <= Date.now();
}

function canChange() {
  return state.booking.status === 'confirmed' && !isPast();
}

/** Switches the address bar to `url` (same page file) without a reload. */
function goTo(url, mode) {
  history.replaceState(null, '', url);
  state.mode = mode;
}

// ---- The booking ----

/** `notice`: {kind: success|info|error, title, text} shown above the booking. */
function showBooking({ notice = null, focus = false } = {}) {
  const { booking, type } = state;
  if (state.mode !== 'view') goTo(manageURL(booking, state.token), 'view');
  setTitle(booking.status === 'confirmed' ? `Your booking: ${type?.name || 'meeting'}` : `${STATUS_LABEL[booking.status] || 'Booking'}: ${type?.name || 'meeting'}`);

  const heading = h('h1', { id: 'manage-heading', text: meetingTitle(type) });
  const card = h('section', { class: 'card narrow stack', id: 'manage', 'aria-labelledby': 'manage-heading', dataset: { status: booking.status } },
    h('div', { id: 'manage-notice', class: 'notice-slot', role: 'status', 'aria-live': 'polite' }, notice ? noticeBox(notice) : null),
    h('div', { class: 'status-line' },
      h('span', { class: `badge badge--${booking.status}`, id: 'booking-status', text: STATUS_LABEL[booking.status] || booking.status }),
      h('span', { class: 'muted', id: 'booking-duration' }, formatDuration(Math.round((Date.parse(booking.end_time) - Date.parse(booking.start_time)) / 60000)))),
    heading,
    bookingFacts(booking, type, { idPrefix: 'booking', showWhat: false }),
    stateMessage(),
    canChange() ? actions() : null);
  replace(main, card);
  // After a change, focus lands on the message saying what happened (read out first).
  if (focus) focusHeading(card.querySelector('#manage-notice .notice') || heading);
}

function noticeBox({ kind = 'info', title, text }) {
  return h('div', { class: `notice notice--${kind}` },
    title ? h('p', { class: 'notice__title', text: title }) : null,
    text ? h('p', { text }) : null);
}

/** What a booking that can no longer be changed says instead of buttons. */
function stateMessage() {
  const { booking, type } = state;
  const again = type ? h('a', { href: `/${encodeURIComponent(type.host.slug)}/${encodeURIComponent(type.slug)}`, id: 'book-again' }, 'Book another time') : null;
  if (booking.status === 'cancelled') {
    return h('div', { class: 'stack stack--tight', id: 'state-message' },
      h('p', { text: 'This meeting was cancelled. Nothing more needs to be done.' }),
      booking.cancel_reason ? h('p', { class: 'muted' }, 'Reason: ', booking.cancel_reason) : null,
      again ? h('p', {}, again) : null);
  }
  if (booking.status === 'rescheduled') {
    return h('div', { class: 'stack stack--tight', id: 'state-message' },
      h('p', { text: 'This meeting was moved to a new time, so this link no longer manages a booking. Your most recent confirmation email has the link for the new time.' }));
  }
  if (isPast()) {
    return h('p', { id: 'state-message', class: 'muted', text: 'This meeting has already taken place.' });
  }
  return null;
}

function actions() {
  const { booking, type } = state;
  const cancelStart = h('button', {
    type: 'button', id: 'cancel-start', class: 'button', 'aria-expanded': 'false', 'aria-controls': 'cancel-panel',
  }, 'Cancel meeting');
  const panel = cancelPanel(cancelStart);
  cancelStart.addEventListener('click', () => {
    const opening = panel.hidden;
    panel.hidden = !opening;
    cancelStart.setAttribute('aria-expanded', String(opening));
    if (opening) focusHeading(panel.querySelector('h2'));
  });
  return h('div', { class: 'stack' },
    h('div', { class: 'actions' },
      type ? h('a', { class: 'button button--primary', id: 'reschedule-link', href: rescheduleURL(booking, state.token) }, 'Reschedule') : null,
      cancelStart,
      addToCalendar(booking, type, state.token)),
    type ? null : h('p', { class: 'muted', text: 'This kind of meeting is no longer offered, so it can’t be moved; you can still cancel it.' }),
    panel);
}

function cancelPanel(cancelStart) {
  const reason = h('textarea', { id: 'cancel-reason', name: 'reason', rows: '3', maxlength: '1000' });
  const reasonField = field({ label: 'Reason', control: reason, optional: true, hint: state.type?.host?.name ? `Shared with ${state.type.host.name}.` : 'Shared with your host.' });
  const message = h('div', { id: 'cancel-message' });
  const confirm = h('button', { type: 'submit', id: 'cancel-confirm', class: 'button button--danger' }, 'Yes, cancel meeting');
  const keep = h('button', { type: 'button', id: 'cancel-keep', class: 'button' }, 'Keep meeting');
  const form = h('form', { class: 'stack', novalidate: true, 'aria-labelledby': 'cancel-heading' },
    reasonField, message, h('div', { class: 'actions' }, confirm, keep));
  const panel = h('section', { class: 'cancel-panel stack', id: 'cancel-panel', hidden: true, 'aria-labelledby': 'cancel-heading' },
    h('h2', { id: 'cancel-heading', text: 'Cancel this meeting?' }),
    h('p', { class: 'muted', text: 'The time will be freed and your host will be told.' }),
    form);

  keep.addEventListener('click', () => {
    panel.hidden = true;
    cancelStart.setAttribute('aria-expanded', 'false');
    cancelStart.focus();
  });

  let inFlight = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (inFlight) return;
    inFlight = true;
    setFieldError(reasonField, null);
    confirm.disabled = true;
    keep.disabled = true;
    form.setAttribute('aria-busy', 'true');
    replace(confirm, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Cancelling…');
    replace(message, h('p', { class: 'visually-hidden', role: 'status', text: 'Cancelling your meeting…' }));
    const body = { token: state.token };
    if (reason.value.trim()) body.reason = reason.value.trim();
    try {
      state.booking = await api(`/api/bookings/${state.id}/cancel`, { method: 'POST', body });
    } catch (error) {
      inFlight = false;
      confirm.disabled = false;
      keep.disabled = false;
      form.removeAttribute('aria-busy');
      replace(confirm, 'Yes, cancel meeting');
      replace(message);
      if (error.status === 404) { showGone(); return; }
      if (error.code === 'version_conflict') {
        load({ notice: { kind: 'info', title: 'This booking changed', text: 'It was changed since you opened this page, so here it is as it stands now.' } });
        return;
      }
      if (error.code === 'validation_failed' && error.messageFor('reason')) {
        setFieldError(reasonField, `The reason ${error.messageFor('reason')}.`);
        reason.focus();
        return;
      }
      replace(message, errorNotice(error.status === 0 ? error.message : 'The meeting could not be cancelled just now.', {
        title: 'Not cancelled yet', retry: () => form.requestSubmit(),
      }));
      return;
    }
    showBooking({ notice: { kind: 'success', title: 'Your meeting has been cancelled', text: 'We’ve let your host know.' }, focus: true });
  });
  return panel;
}

// ---- Reschedule ----

function showReschedule({ notice = null } = {}) {
  const { booking, type } = state;
  setTitle(`Reschedule: ${type.name}`);
  const panel = h('div', { class: 'booking__main', id: 'reschedule-main' });
  const noticeArea = h('div', { id: 'manage-notice', class: 'notice-slot', role: 'status', 'aria-live': 'polite' }, notice ? noticeBox(notice) : null);
  const heading = h('h1', { id: 'reschedule-heading', text: 'Pick a new time' });
  const about = h('div', { class: 'booking__about stack' },
    h('p', {}, h('a', { class: 'back-link', href: manageURL(booking, state.token), id: 'back-to-booking' }, icon('left'), 'Back to your booking')),
    h('p', { class: 'eyebrow', id: 'host-name', text: type.host.name }),
    heading,
    h('ul', { class: 'meta-list' },
      h('li', {}, icon('calendar'), type.name),
      h('li', {}, icon('clock'), formatDuration(type.duration_minutes))),
    h('div', { class: 'stack stack--tight' },
      h('p', { class: 'eyebrow', text: 'Currently booked' }),
      h('p', { id: 'current-time' }, timeIn(booking.start_time, booking.end_time, booking.invitee_timezone))));

  const picker = slotPicker({
    meetingType: type,
    zone: booking.invitee_timezone,
    idPrefix: 'reschedule-picker', // not 'reschedule': the article and its h1 already use reschedule and reschedule-heading
    heading: 'Select a new date and time',
    currentStart: booking.start_time,
    initialDate: dateInZone(booking.start_time, booking.invitee_timezone),
    onPick: (choice) => confirmStep(choice),
  });

  function showPicker({ focus = false } = {}) {
    setTitle(`Reschedule: ${type.name}`);
    replace(panel, noticeArea, picker.element);
    if (focus) picker.focusSlots();
  }

  function confirmStep(choice) {
    const { slot, zone, date } = choice;
    setTitle(`Confirm new time: ${type.name}`);
    const stepHeading = h('h2', { id: 'reschedule-confirm-heading', text: 'Confirm the new time' });
    const message = h('div', { id: 'reschedule-message' });
    const submit = h('button', { type: 'button', id: 'reschedule-submit', class: 'button button--primary' }, 'Reschedule to this time');
    const back = h('button', { type: 'button', id: 'change-time', class: 'button button--quiet back-link' }, icon('left'), 'Choose another time');
    back.addEventListener('click', () => showPicker({ focus: true }));
    replace(panel, h('div', { class: 'stack' },
      h('p', {}, back),
      stepHeading,
      h('dl', { class: 'facts' },
        h('dt', { text: 'From' }), h('dd', { class: 'muted' }, timeIn(booking.start_time, booking.end_time, zone)),
        h('dt', { text: 'To' }), h('dd', { id: 'new-time' }, h('strong', {}, timeIn(slot.start_time, slot.end_time, zone)))),
      message,
      h('div', { class: 'actions' }, submit)));
    focusHeading(stepHeading);

    let inFlight = false;
    submit.addEventListener('click', async () => {
      if (inFlight) return;
      inFlight = true;
      submit.disabled = true;
      back.disabled = true;
      submit.setAttribute('aria-busy', 'true');
      replace(submit, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Rescheduling…');
      replace(message, h('p', { class: 'visually-hidden', role: 'status', text: 'Moving your meeting…' }));
      let moved;
      try {
        moved = await api(`/api/bookings/${state.id}/reschedule`, {
          method: 'POST', body: { start_time: slot.start_time, version: booking.version, token: state.token },
        });
      } catch (error) {
        inFlight = false;
        submit.disabled = false;
        back.disabled = false;
        submit.removeAttribute('aria-busy');
        replace(submit, 'Reschedule to this time');
        replace(message);
        rescheduleFailed(error, date);
        return;
      }
      // The move is a new booking with its own id and token: this page now manages that one.
      state.id = moved.id;
      state.token = moved.cancel_token;
      state.booking = moved;
      goTo(manageURL(moved, moved.cancel_token), 'view');
      showBooking({
        notice: { kind: 'success', title: 'Your meeting has been moved', text: `It is now on ${formatMeeting(moved.start_time, moved.end_time, moved.invitee_timezone)}. This page’s address is the new link to manage it.` },
        focus: true,
      });
    });

    function rescheduleFailed(error, day) {
      if (error.status === 404) {
        // Read it again: a booking already moved says so; otherwise the link manages nothing.
        load({ notice: { kind: 'error', title: 'This link no longer manages a booking' } });
        return;
      }
      if (error.code === 'version_conflict') {
        load({ notice: { kind: 'info', title: 'This booking changed', text: 'It was changed since you opened this page, so it has been loaded again as it stands now.' } });
        return;
      }
      if (error.code === 'slot_unavailable') {
        showPicker({ focus: true });
        picker.refreshDay(day, 'Sorry, that time was just taken. Here are the times still free on this day; please choose another.');
        return;
      }
      replace(message, errorNotice(error.status === 0 ? error.message : 'The meeting could not be moved just now.', {
        title: 'Not moved yet', retry: () => submit.click(),
      }));
      message.querySelector('button')?.focus();
    }
  }

  replace(main, h('article', { class: 'card booking', 'aria-labelledby': 'reschedule-heading', id: 'reschedule' }, about, panel));
  showPicker();
  if (notice) focusHeading(noticeArea.querySelector('.notice'));
}

start();
