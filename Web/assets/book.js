// The booking pages: /{user_slug} (a host's meeting types) and /{user_slug}/{type_slug}
// (pick a time, give your details, get a confirmation). Everything goes through the public API.

import { api, idempotencyKey } from './api.js';
import { h, replace, focusHeading, loading, errorNotice, field, setFieldError, setTitle, icon } from './dom.js';
import { detectedZone, formatDate, formatDuration, formatTimeRange, zoneOffset } from './format.js';
import { slotPicker } from './calendar.js';
import { addToCalendar, bookingFacts, manageURL, meetingTitle, notFoundCard } from './views.js';

const main = document.getElementById('main');

function start() {
  let parts;
  try {
    parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    parts = [];
  }
  if (parts.length === 1) hostPage(parts[0]);
  else if (parts.length === 2) typePage(parts[0], parts[1]);
  else showNotFound('There is no scheduling page at this address.');
}

function showNotFound(message, options = {}) {
  setTitle('Not found');
  replace(main, notFoundCard({ message, ...options }));
}

/** Shows a loading state in `main` while `load()` runs; on failure an error with a retry. */
async function loadInto(text, load, onResult, onError) {
  setTitle('Loading');
  replace(main, loading(text));
  main.setAttribute('aria-busy', 'true');
  try {
    const result = await load();
    main.removeAttribute('aria-busy');
    onResult(result);
  } catch (error) {
    main.removeAttribute('aria-busy');
    if (onError && onError(error)) return;
    setTitle('Something went wrong');
    replace(main, h('div', { class: 'narrow' }, errorNotice(
      error.status === 0 ? error.message : 'This page could not be loaded just now.',
      { title: 'Something went wrong', retry: () => loadInto(text, load, onResult, onError) })));
  }
}

/** A `#rrggbb` colour from the API, or null (it is only ever used as a decorative accent). */
function safeColor(color) {
  return typeof color === 'string' && /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(color) ? color : null;
}

function initials(name) {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join('');
}

// ---- /{user_slug} ----

function hostPage(userSlug) {
  loadInto('Loading meeting types…', () => api(`/api/public/${encodeURIComponent(userSlug)}`), (page) => {
    const host = page.host;
    const types = page.meeting_types || [];
    setTitle(host.name);
    replace(main,
      h('section', { class: 'host-intro stack', 'aria-labelledby': 'host-name' },
        h('span', { class: 'avatar', 'aria-hidden': 'true', text: initials(host.name) }),
        h('h1', { id: 'host-name', text: host.name }),
        h('p', { class: 'muted', text: types.length ? 'Choose a meeting to see free times and book one.' : `${host.name} has no meetings open for booking right now.` })),
      types.length ? h('ul', { class: 'type-list', id: 'meeting-types', 'aria-label': 'Meeting types' }, types.map((type) => {
        const card = h('li', { class: 'card type-card', dataset: { slug: type.slug } },
          h('h2', { class: 'type-card__name' },
            h('a', { class: 'type-card__link', href: `/${encodeURIComponent(host.slug)}/${encodeURIComponent(type.slug)}`, text: type.name })),
          h('p', { class: 'type-card__meta' }, icon('clock'), formatDuration(type.duration_minutes)),
          type.description ? h('p', { class: 'type-card__description', text: type.description }) : null,
          h('p', { class: 'type-card__cta', 'aria-hidden': 'true', text: 'Choose a time →' }));
        // CSSOM (not a style attribute) so the CSP's style-src stays 'self'.
        const color = safeColor(type.color);
        if (color) card.style.setProperty('--type-color', color);
        return card;
      })) : null);
  }, (error) => {
    if (error.status !== 404) return false;
    showNotFound('We couldn’t find a scheduling page at this address. Check the link you were sent.');
    return true;
  });
}

// ---- /{user_slug}/{type_slug} ----

function typePage(userSlug, typeSlug) {
  const path = `/api/public/${encodeURIComponent(userSlug)}/${encodeURIComponent(typeSlug)}`;
  loadInto('Loading…', () => api(path), (meetingType) => new BookingFlow(meetingType).show(), (error) => {
    if (error.status !== 404) return false;
    showNotFound('This meeting isn’t available for booking. The link may be mistyped, or the host may have turned it off.', {
      linkHref: `/${encodeURIComponent(userSlug)}`, linkText: 'See the host’s other meetings',
    });
    return true;
  });
}

/** One visit to a booking link: the picker, the form and the confirmation. */
class BookingFlow {
  constructor(meetingType) {
    this.type = meetingType;
    this.zone = detectedZone();
    this.draft = { invitee_name: '', invitee_email: '', answers: {} };
    this.questions = Array.isArray(meetingType.questions) ? meetingType.questions : [];
    this.attempt = null; // {key, body}: one Idempotency-Key per distinct booking attempt
    this.inFlight = false;
    this.picker = slotPicker({
      meetingType,
      zone: this.zone,
      idPrefix: 'schedule',
      onPick: (choice) => this.showForm(choice),
      onZoneChange: (zone) => { this.zone = zone; this.showZoneInAbout(); },
    });
    this.aboutZone = h('span', { id: 'about-zone' });
    this.panel = h('div', { class: 'booking__main', id: 'booking-main' });
  }

  show() {
    const type = this.type;
    setTitle(meetingTitle(type));
    const color = safeColor(type.color);
    const about = h('div', { class: 'booking__about stack' },
      h('p', {}, h('a', { class: 'back-link', href: `/${encodeURIComponent(type.host.slug)}` }, icon('left'), 'All meetings')),
      h('p', { class: 'eyebrow', id: 'host-name', text: type.host.name }),
      h('h1', { id: 'type-name', text: type.name }),
      h('ul', { class: 'meta-list' },
        h('li', { id: 'type-duration' }, icon('clock'), formatDuration(type.duration_minutes)),
        h('li', {}, icon('globe'), this.aboutZone)),
      type.description ? h('p', { class: 'description', id: 'type-description', text: type.description }) : null);
    const card = h('article', { class: 'card booking', 'aria-labelledby': 'type-name' }, about, this.panel);
    if (color) card.style.setProperty('--type-color', color);
    this.showZoneInAbout();
    replace(main, card);
    this.showPicker();
  }

  showZoneInAbout() {
    this.aboutZone.textContent = this.zone;
  }

  showPicker({ focus = false } = {}) {
    setTitle(meetingTitle(this.type));
    replace(this.panel, this.picker.element);
    if (focus) this.picker.focusSlots();
  }

  // ---- The form ----

  showForm(choice) {
    this.choice = choice;
    const type = this.type;
    setTitle(`Your details · ${type.name}`);
    const { slot, zone } = choice;

    const controls = {
      invitee_name: h('input', { id: 'invitee_name', name: 'invitee_name', type: 'text', autocomplete: 'name', maxlength: '200', required: true, value: this.draft.invitee_name }),
      invitee_email: h('input', { id: 'invitee_email', name: 'invitee_email', type: 'email', autocomplete: 'email', inputmode: 'email', required: true, spellcheck: 'false', value: this.draft.invitee_email }),
    };
    this.fields = {
      invitee_name: field({ label: 'Your name', control: controls.invitee_name }),
      invitee_email: field({ label: 'Email', control: controls.invitee_email, hint: 'We’ll send the confirmation and the link to change it here.' }),
    };
    for (const question of this.questions) {
      const wrapper = questionField(question, this.draft.answers[question.id] || '');
      this.fields[`answers.${question.id}`] = wrapper;
    }

    this.message = h('div', { id: 'form-message', class: 'form-message' });
    this.submitButton = h('button', { type: 'submit', id: 'book-submit', class: 'button button--primary' }, 'Schedule meeting');
    this.form = h('form', { id: 'booking-form', class: 'booking-form stack', novalidate: true, 'aria-labelledby': 'form-heading' },
      Object.values(this.fields), this.message, h('div', {}, this.submitButton));
    this.form.addEventListener('submit', (event) => { event.preventDefault(); this.submit(); });
    this.form.addEventListener('input', () => this.saveDraft());

    const back = h('button', { type: 'button', id: 'change-time', class: 'button button--quiet back-link' }, icon('left'), 'Choose another time');
    back.addEventListener('click', () => { this.saveDraft(); this.showPicker({ focus: true }); });

    const heading = h('h2', { id: 'form-heading', text: 'Enter your details' });
    replace(this.panel, h('div', { class: 'stack' },
      h('p', {}, back),
      heading,
      h('div', { class: 'chosen-time', id: 'chosen-time' }, icon('calendar'), h('div', {},
        h('strong', { text: formatDate(choice.date) }),
        h('span', { text: formatTimeRange(slot.start_time, slot.end_time, zone) }), ' ',
        h('span', { class: 'muted', text: `(${zone})` }))),
      this.form));
    focusHeading(heading);
  }

  saveDraft() {
    if (!this.form) return;
    const data = new FormData(this.form);
    this.draft.invitee_name = data.get('invitee_name') ?? '';
    this.draft.invitee_email = data.get('invitee_email') ?? '';
    for (const question of this.questions) this.draft.answers[question.id] = data.get(`answers.${question.id}`) ?? '';
  }

  /** Client-side checks mirroring the server's (the server still has the last word). */
  validate() {
    const errors = {};
    const name = this.draft.invitee_name.trim();
    if (!name) errors.invitee_name = 'Enter your name.';
    else if ([...name].length > 200) errors.invitee_name = 'Your name can be at most 200 characters.';
    // eslint-disable-next-line no-control-regex
    else if (/[\u0000-\u001f\u007f]/.test(name)) errors.invitee_name = 'Your name can’t contain control characters.';
    if (!plausibleEmail(this.draft.invitee_email.trim())) errors.invitee_email = 'Enter an email address such as name@example.com.';
    for (const question of this.questions) {
      const value = (this.draft.answers[question.id] || '').trim();
      if (question.required && !value) errors[`answers.${question.id}`] = 'This question needs an answer.';
      else if (value.length > 5000) errors[`answers.${question.id}`] = 'Please keep this to 5,000 characters.';
    }
    return errors;
  }

  showErrors(errors, other = []) {
    for (const [key, wrapper] of Object.entries(this.fields)) setFieldError(wrapper, errors[key]);
    const first = Object.keys(this.fields).find((key) => errors[key]);
    if (other.length) {
      replace(this.message, h('div', { class: 'notice notice--error', role: 'alert' },
        h('p', { class: 'notice__title', text: 'The booking could not be made' }),
        other.map((text) => h('p', { text }))));
    }
    if (first) this.fields[first].querySelector('.field__control').focus();
  }

  submit() {
    if (this.inFlight) return; // Enter pressed again while the first request is out
    this.saveDraft();
    replace(this.message);
    const errors = this.validate();
    this.showErrors(errors);
    if (Object.keys(errors).length) return;

    const body = {
      meeting_type_id: this.type.id,
      start_time: this.choice.slot.start_time,
      invitee_name: this.draft.invitee_name.trim(),
      invitee_email: this.draft.invitee_email.trim(),
      invitee_timezone: this.choice.zone,
    };
    if (this.questions.length) {
      body.answers = Object.fromEntries(Object.entries(this.draft.answers)
        .map(([id, value]) => [id, value.trim()]).filter(([, value]) => value));
    }
    // The same attempt (the same body) keeps its key, so a resend books at most once; a changed
    // body is a new attempt.
    const text = JSON.stringify(body);
    if (!this.attempt || this.attempt.body !== text) this.attempt = { key: idempotencyKey(), body: text };
    this.send(body, this.attempt);
  }

  setBusy(busy) {
    this.inFlight = busy;
    this.submitButton.disabled = busy;
    this.form.setAttribute('aria-busy', String(busy));
    if (busy) {
      replace(this.submitButton, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Scheduling…');
      replace(this.message, h('p', { class: 'visually-hidden', role: 'status', text: 'Scheduling your meeting…' }));
    } else {
      replace(this.submitButton, 'Schedule meeting');
    }
  }

  async send(body, attempt) {
    if (this.inFlight) return; // a second click, or a retry button pressed twice
    this.setBusy(true);
    let booking;
    for (let waits = 0; ; waits += 1) {
      try {
        booking = await api('/api/bookings', { method: 'POST', body, headers: { 'Idempotency-Key': attempt.key } });
        break;
      } catch (error) {
        // The first request with this key is still being processed: wait and ask again with
        // the same key, which then replays its answer.
        if (error.code === 'idempotency_in_progress' && waits < 5) {
          const seconds = Math.min(Math.max(Number(error.retryAfter) || 1, 1), 10);
          await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
          continue;
        }
        this.setBusy(false);
        this.failed(error, body, attempt);
        return;
      }
    }
    this.setBusy(false);
    this.attempt = null;
    this.showConfirmation(booking);
  }

  failed(error, body, attempt) {
    const retry = () => this.send(body, attempt);
    if (error.code === 'slot_unavailable') {
      this.attempt = null;
      const { date } = this.choice;
      this.showPicker({ focus: true });
      this.picker.refreshDay(date, 'Sorry, that time was just taken. Here are the times still free on this day; please choose another.');
      return;
    }
    if (error.code === 'validation_failed') {
      const byField = {};
      const other = [];
      for (const e of error.errors) {
        if (this.fields[e.field]) byField[e.field] = `${fieldName(e.field)} ${e.message}.`;
        else if (e.field === 'invitee_timezone') other.push(`Your time zone (${body.invitee_timezone}) isn’t accepted. Go back to the calendar, change the time zone, and choose a time again.`);
        else if (e.field === 'meeting_type_id') other.push('This meeting type is no longer available for booking.');
        else other.push(`${e.field}: ${e.message}.`);
      }
      if (!error.errors.length) other.push(error.message);
      this.showErrors(byField, other);
      return;
    }
    if (error.code === 'idempotency_mismatch') {
      this.attempt = null;
      this.showErrors({}, ['Please submit the form again.']);
      return;
    }
    const message = error.status === 0 ? error.message
      : error.status === 429 ? 'Too many attempts just now. Wait a moment, then try again.'
        : 'Something went wrong while booking. Your details are kept; try again.';
    replace(this.message, errorNotice(message, { title: 'Not booked yet', retry, retryLabel: 'Try again' }));
    this.message.querySelector('button')?.focus();
  }

  // ---- Confirmation ----

  showConfirmation(booking) {
    const type = this.type;
    setTitle(`Booked: ${type.name}`);
    const heading = h('h1', { id: 'confirmation-heading', text: 'You’re booked' });
    const url = manageURL(booking);
    replace(main, h('section', { class: 'card narrow stack', id: 'confirmation', 'aria-labelledby': 'confirmation-heading' },
      h('span', { class: 'result-icon', 'aria-hidden': 'true' }, icon('check')),
      heading,
      h('p', {}, 'A confirmation is on its way to ', h('strong', { text: booking.invitee_email }), '.'),
      bookingFacts(booking, type, { idPrefix: 'confirmed' }),
      h('div', { class: 'actions' },
        addToCalendar(booking, type),
        h('a', { class: 'button', id: 'manage-link', href: url }, 'Reschedule or cancel')),
      h('p', { class: 'muted manage-url' }, 'Keep this link to change the booking later (it is also in your email): ',
        h('span', { id: 'manage-url', text: new URL(url, location.origin).href }))));
    focusHeading(heading);
  }
}

/** The subject put before the server's field message ("Email must be an email address."). */
function fieldName(key) {
  if (key === 'invitee_name') return 'Your name';
  if (key === 'invitee_email') return 'Email';
  return 'This answer';
}

/** The server's check: one @, a local part of 1–64, a dotted domain, no spaces, ≤ 254 bytes. */
function plausibleEmail(text) {
  if (new TextEncoder().encode(text).length > 254) return false;
  if (/[\s\u0000-\u001f\u007f]/.test(text)) return false; // eslint-disable-line no-control-regex
  const parts = text.split('@');
  if (parts.length !== 2) return false;
  const [local, domain] = parts;
  return local.length > 0 && [...local].length <= 64 && domain.includes('.') && !domain.startsWith('.') && !domain.endsWith('.');
}

/**
 * A field for one of the type's questions `{id, label, kind, required, options}`: a select when
 * it has options, a textarea for long kinds, otherwise an input (email/tel/url/number kinds get
 * that input type). The answer is sent as `answers[id]`; errors come back as `answers.<id>`.
 */
function questionField(question, value) {
  const id = `answer-${String(question.id).replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const name = `answers.${question.id}`;
  const kind = String(question.kind || 'text').toLowerCase();
  const options = Array.isArray(question.options) ? question.options : [];
  let control;
  if (options.length) {
    control = h('select', { id, name, required: Boolean(question.required) },
      h('option', { value: '', text: 'Choose…' }),
      options.map((option) => {
        const text = typeof option === 'object' ? (option.label ?? option.value) : option;
        const optionValue = typeof option === 'object' ? (option.value ?? option.label) : option;
        return h('option', { value: optionValue, text, selected: String(optionValue) === value });
      }));
  } else if (/long|textarea|paragraph|multi/.test(kind)) {
    control = h('textarea', { id, name, rows: '4', maxlength: '5000', required: Boolean(question.required) });
    control.value = value;
  } else {
    const type = { email: 'email', phone: 'tel', tel: 'tel', url: 'url', number: 'number' }[kind] || 'text';
    control = h('input', { id, name, type, maxlength: '5000', value, required: Boolean(question.required) });
  }
  return field({ label: question.label || String(question.id), control, optional: !question.required });
}

start();
