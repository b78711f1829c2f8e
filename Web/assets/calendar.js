// The date-and-time picker shared by the booking page and the reschedule page: a month grid
// (days with free times marked), the free start times of the chosen day, and the zone they
// are shown in.
//
// Requests: ONE range request per visible month and zone (GET /api/availability/slots with
// start_date/end_date, at most 31 days), clipped to today … the last day of the booking
// window, both as dates in the shown zone. Months are cached; a refresh of one day (after a
// 409 slot_unavailable) asks for that day alone and patches the cache.
//
// Keyboard: the grid is one tab stop (roving tabindex). Arrows move by day and week, Home/End
// to the week's ends, PageUp/PageDown by month (with Shift by year); crossing into another
// month shows it. Enter or Space chooses the focused day; Tab then reaches its times.

import { api } from './api.js';
import { h, replace, errorNotice, icon } from './dom.js';
import {
  addDays, addMonths, dateInZone, daysInMonth, firstDayOfWeek, formatDate, formatMonth,
  formatSlotTime, formatTime, lastDateOf, monthOf, sameDayIn, weekday, weekdayNames, zoneOffset,
} from './format.js';
import { zonePicker } from './zones.js';

const DAY_MS = 24 * 60 * 60 * 1000;
let pickerCount = 0;

/**
 * Builds a slot picker.
 *
 * - `meetingType`: `{id, max_days_in_future, host: {time_zone}}` (the public meeting type).
 * - `zone`: the zone to show times in; `fallbackZone`: used when the server refuses `zone`.
 * - `idPrefix`: prefix of the element ids (default `schedule`, then `schedule-2`, …).
 * - `heading`: the section's heading text; `headingLevel`: 2 (default) or 3.
 * - `currentStart`: an instant shown as "current time" and not offered (reschedule).
 * - `initialDate`: a date (`YYYY-MM-DD` in `zone`) to open on and select, when bookable.
 * - `onPick({slot, date, zone})`: a free start was chosen.
 * - `onZoneChange(zone)`: the visitor chose another zone.
 *
 * Returns `{element, zone, refreshDay(date), setZone(zone), focusSlots()}`.
 */
export function slotPicker({
  meetingType, zone, fallbackZone = meetingType.host?.time_zone || 'UTC', idPrefix,
  heading = 'Select a date and time', headingLevel = 2, currentStart = null, initialDate = null,
  onPick = () => {}, onZoneChange = () => {},
}) {
  const p = idPrefix || (++pickerCount === 1 ? 'schedule' : `schedule-${pickerCount}`);
  const weekStart = firstDayOfWeek();
  const sub = `h${Math.min(headingLevel + 1, 6)}`;
  const state = {
    zone,
    month: null,
    focused: null,
    selected: null,
    cache: new Map(), // `${zone}|${month}` → Map(date → slots)
    controller: null,
    autoAdvanced: false,
  };

  // ---- Elements ----
  const zoneName = h('strong', { id: `${p}-zone-name` });
  const zoneOffsetText = h('span', { class: 'muted' });
  const zoneToggle = h('button', {
    type: 'button', id: `${p}-zone-toggle`, class: 'button--link',
    'aria-expanded': 'false', 'aria-controls': `${p}-zone-panel`, 'aria-label': 'Change time zone',
  }, 'Change');
  const picker = zonePicker({
    id: `${p}-zone`, label: 'Time zone', value: zone,
    onChange: (z) => {
      setZone(z, { announce: true });
      showZonePanel(false);
      zoneToggle.focus();
    },
  });
  const zonePanel = h('div', { id: `${p}-zone-panel`, class: 'picker__zone-panel', hidden: true }, picker);
  const monthLabel = h(sub, { id: `${p}-month`, class: 'month-nav__label', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', id: `${p}-prev`, class: 'button button--icon', 'aria-label': 'Previous month' }, icon('left'));
  const next = h('button', { type: 'button', id: `${p}-next`, class: 'button button--icon', 'aria-label': 'Next month' }, icon('right'));
  const grid = h('table', {
    id: `${p}-grid`, class: 'month-grid', role: 'grid',
    'aria-labelledby': `${p}-month`, 'aria-describedby': `${p}-grid-help`,
  });
  const status = h('div', { id: `${p}-status`, class: 'picker__status', role: 'status', 'aria-live': 'polite' });
  const alerts = h('div', { class: 'picker__alerts' });
  const slotsHeading = h(sub, { id: `${p}-slots-heading`, class: 'slots__heading', tabindex: '-1' });
  const slotsBody = h('div', { class: 'slots__body' });
  const slotsPanel = h('div', { id: `${p}-slots`, class: 'picker__slots slots' }, slotsHeading, slotsBody);

  const element = h('section', { class: 'picker', 'aria-labelledby': `${p}-heading`, id: p },
    h(`h${headingLevel}`, { id: `${p}-heading`, class: 'picker__title', text: heading }),
    h('p', { id: `${p}-zone-line`, class: 'picker__zone' },
      icon('globe'), h('span', {}, 'Times in ', zoneName, ' ', zoneOffsetText, ' ', zoneToggle)),
    zonePanel,
    h('div', { class: 'picker__body' },
      h('div', { class: 'picker__calendar' },
        h('div', { class: 'month-nav' }, prev, monthLabel, next),
        grid,
        h('p', { id: `${p}-grid-help`, class: 'picker__legend' },
          h('span', { class: 'legend-dot', 'aria-hidden': 'true' }),
          ' Days with free times. ',
          h('span', { class: 'visually-hidden', text: 'Use the arrow keys to move between days, Page Up and Page Down to change month.' })),
        status, alerts),
      slotsPanel));

  // ---- Bounds of the booking window, as dates in the shown zone ----
  const today = () => dateInZone(Date.now(), state.zone);
  const lastDay = () => dateInZone(Date.now() + (meetingType.max_days_in_future ?? 60) * DAY_MS, state.zone);
  const minMonth = () => monthOf(today());
  const maxMonth = () => monthOf(lastDay());

  /** The dates to ask for in `month` ({start, end}), or null when none is bookable. */
  function rangeFor(month) {
    const first = `${month}-01`;
    const start = first > today() ? first : today();
    const last = lastDateOf(month);
    const end = last < lastDay() ? last : lastDay();
    return start <= end ? { start, end } : null;
  }

  const monthDays = (month = state.month) => state.cache.get(`${state.zone}|${month}`);
  const slotsOf = (date) => monthDays(monthOf(date))?.get(date) || null;

  function dayState(date) {
    if (date < today() || date > lastDay()) return 'closed';
    const days = monthDays(monthOf(date));
    if (!days) return 'loading';
    return (days.get(date) || []).length ? 'open' : 'closed';
  }

  // ---- Zone ----
  function showZone() {
    zoneName.textContent = state.zone;
    const offset = zoneOffset(state.zone);
    zoneOffsetText.textContent = offset && offset !== state.zone ? `(${offset})` : '';
  }

  function showZonePanel(open) {
    zonePanel.hidden = !open;
    zoneToggle.setAttribute('aria-expanded', String(open));
    zoneToggle.textContent = open ? 'Close' : 'Change';
    zoneToggle.setAttribute('aria-label', open ? 'Close the time zone picker' : 'Change time zone');
  }

  zoneToggle.addEventListener('click', () => {
    const open = zonePanel.hidden;
    showZonePanel(open);
    if (open) picker.input.focus();
  });
  zonePanel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') { showZonePanel(false); zoneToggle.focus(); }
  });

  function setZone(newZone, { announce = false } = {}) {
    if (newZone === state.zone) return;
    state.zone = newZone;
    picker.setZone(newZone);
    showZone();
    onZoneChange(newZone);
    // The same dates mean other instants in another zone: keep the visible month and the
    // chosen day (if still bookable), and load the month again in the new zone.
    if (state.month < minMonth()) state.month = minMonth();
    if (state.month > maxMonth()) state.month = maxMonth();
    if (state.selected && (state.selected < today() || state.selected > lastDay())) state.selected = null;
    renderGrid();
    renderSlots();
    if (announce) say(`Times are now shown in ${newZone}.`);
    loadMonth(state.month);
  }

  // ---- Months ----
  prev.addEventListener('click', () => { if (state.month > minMonth()) showMonth(addMonths(state.month, -1)); });
  next.addEventListener('click', () => { if (state.month < maxMonth()) showMonth(addMonths(state.month, 1)); });

  /** Shows `month`; focuses `focusDate` (a date in it) when given. */
  function showMonth(month, { focusDate = null } = {}) {
    state.month = month;
    state.focused = focusDate || defaultFocus(month);
    renderGrid();
    if (focusDate) dayButton(focusDate)?.focus();
    loadMonth(month);
  }

  function defaultFocus(month) {
    if (state.selected && monthOf(state.selected) === month) return state.selected;
    const t = today();
    if (monthOf(t) === month) return t;
    return `${month}-01`;
  }

  async function loadMonth(month, { retrying = false } = {}) {
    const range = rangeFor(month);
    const key = `${state.zone}|${month}`;
    if (!range) state.cache.set(key, new Map());
    if (state.cache.has(key)) {
      updateDays();
      return;
    }
    state.controller?.abort();
    const controller = new AbortController();
    state.controller = controller;
    const zoneAsked = state.zone;
    setBusy(true, retrying ? 'Trying again…' : 'Loading times…');
    alerts.replaceChildren();
    try {
      const body = await api(slotsPath(range.start, range.end, zoneAsked), { signal: controller.signal });
      state.cache.set(`${zoneAsked}|${month}`, new Map(body.days.map((d) => [d.date, d.slots])));
      if (state.controller !== controller) return;
      setBusy(false);
      say('');
      updateDays();
      renderSlots();
      maybeAdvance(month);
    } catch (error) {
      if (error.name === 'AbortError' || state.controller !== controller) return;
      setBusy(false);
      failed(error, () => loadMonth(month, { retrying: true }));
    }
  }

  // On first load, a month with no free time left moves on to the next one (once).
  function maybeAdvance(month) {
    if (state.autoAdvanced || month !== minMonth() || state.month !== month) return;
    state.autoAdvanced = true;
    const days = monthDays(month);
    const anyOpen = [...days.values()].some((slots) => slots.length);
    if (!anyOpen && month < maxMonth()) {
      const focusWasInGrid = grid.contains(document.activeElement);
      showMonth(addMonths(month, 1));
      if (focusWasInGrid) dayButton(state.focused)?.focus();
    }
  }

  function slotsPath(start, end, z) {
    const q = new URLSearchParams({ meeting_type_id: meetingType.id, start_date: start, end_date: end, timezone: z });
    return `/api/availability/slots?${q}`;
  }

  function failed(error, retry) {
    if (error.status === 422 && error.messageFor('timezone') && state.zone !== fallbackZone) {
      const refused = state.zone;
      setZone(fallbackZone);
      say(`Times can't be shown in ${refused}; they are shown in ${fallbackZone} instead.`);
      return;
    }
    if (error.status === 404) {
      alerts.replaceChildren(errorNotice('This meeting type is no longer available for booking.', { title: 'Not available' }));
      return;
    }
    const message = error.status === 0 ? error.message : 'We couldn’t load the free times.';
    alerts.replaceChildren(errorNotice(message, { retry, retryLabel: 'Try again' }));
  }

  function setBusy(busy, text) {
    grid.setAttribute('aria-busy', String(busy));
    element.classList.toggle('is-loading', busy);
    if (busy) {
      replace(status, h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', { text }));
      status.classList.add('picker__status--busy');
    } else {
      status.classList.remove('picker__status--busy');
      status.replaceChildren();
    }
  }

  /** A polite message under the calendar (also announced). */
  function say(text) {
    if (status.classList.contains('picker__status--busy')) return;
    status.replaceChildren(text ? h('p', { class: 'notice notice--info', text }) : '');
  }

  // ---- The grid ----
  function renderGrid() {
    const month = state.month;
    monthLabel.textContent = formatMonth(month);
    prev.setAttribute('aria-disabled', String(month <= minMonth()));
    next.setAttribute('aria-disabled', String(month >= maxMonth()));
    if (!state.focused || monthOf(state.focused) !== month) state.focused = defaultFocus(month);

    const names = weekdayNames(weekStart);
    const head = h('thead', {}, h('tr', {}, names.map((n) => h('th', { scope: 'col' },
      h('span', { 'aria-hidden': 'true', text: n.short.slice(0, 3) }),
      h('span', { class: 'visually-hidden', text: n.long })))));

    const first = `${month}-01`;
    const lead = (weekday(first) - weekStart + 7) % 7;
    const count = daysInMonth(month);
    const cells = [...Array(lead).fill(null), ...Array.from({ length: count }, (_, i) => addDays(first, i))];
    while (cells.length % 7) cells.push(null);
    const rows = [];
    for (let i = 0; i < cells.length; i += 7) {
      rows.push(h('tr', {}, cells.slice(i, i + 7).map((date) => (date
        ? h('td', { role: 'gridcell', dataset: { date } }, h('button', {
          type: 'button', class: 'day', dataset: { date }, tabindex: date === state.focused ? '0' : '-1',
        }, h('span', { class: 'day__number', text: String(Number(date.slice(8))) })))
        : h('td', { class: 'day-blank', role: 'gridcell', 'aria-hidden': 'true' })))));
    }
    grid.replaceChildren(head, h('tbody', {}, rows));
    updateDays();
  }

  /** Brings each day button's marks and label up to date without rebuilding (keeps focus). */
  function updateDays() {
    const t = today();
    for (const button of grid.querySelectorAll('button.day')) {
      const date = button.dataset.date;
      const s = dayState(date);
      button.classList.toggle('day--open', s === 'open');
      button.classList.toggle('day--closed', s === 'closed');
      button.classList.toggle('day--selected', date === state.selected);
      button.setAttribute('aria-disabled', String(s !== 'open'));
      if (date === t) button.setAttribute('aria-current', 'date'); else button.removeAttribute('aria-current');
      button.parentElement.setAttribute('aria-selected', String(date === state.selected));
      const note = s === 'open' ? 'free times' : s === 'loading' ? '' : 'no free times';
      button.setAttribute('aria-label', [formatDate(date), date === t ? 'today' : '', note].filter(Boolean).join(', '));
    }
  }

  function dayButton(date) {
    return grid.querySelector(`button.day[data-date="${date}"]`);
  }

  grid.addEventListener('click', (event) => {
    const button = event.target.closest('button.day');
    if (!button) return;
    const date = button.dataset.date;
    moveFocus(date);
    const s = dayState(date);
    if (s === 'open') selectDay(date);
    else if (s === 'closed') say(`No free times on ${formatDate(date, { weekday: 'long', month: 'long', day: 'numeric' })}.`);
  });

  grid.addEventListener('keydown', (event) => {
    const button = event.target.closest('button.day');
    if (!button || event.altKey || event.ctrlKey || event.metaKey) return;
    const date = button.dataset.date;
    const intoWeek = (weekday(date) - weekStart + 7) % 7;
    const target = {
      ArrowLeft: () => addDays(date, -1),
      ArrowRight: () => addDays(date, 1),
      ArrowUp: () => addDays(date, -7),
      ArrowDown: () => addDays(date, 7),
      Home: () => addDays(date, -intoWeek),
      End: () => addDays(date, 6 - intoWeek),
      PageUp: () => sameDayIn(addMonths(monthOf(date), event.shiftKey ? -12 : -1), date),
      PageDown: () => sameDayIn(addMonths(monthOf(date), event.shiftKey ? 12 : 1), date),
    }[event.key];
    if (!target) return;
    event.preventDefault();
    moveFocus(target(), { focus: true });
  });

  /** Moves the grid's tab stop to `date` (clamped to the months that can be shown). */
  function moveFocus(date, { focus = false } = {}) {
    const min = `${minMonth()}-01`;
    const max = lastDateOf(maxMonth());
    const clamped = date < min ? min : date > max ? max : date;
    if (monthOf(clamped) !== state.month) {
      showMonth(monthOf(clamped), { focusDate: clamped });
      return;
    }
    state.focused = clamped;
    for (const b of grid.querySelectorAll('button.day')) b.tabIndex = b.dataset.date === clamped ? 0 : -1;
    if (focus) dayButton(clamped)?.focus();
  }

  function selectDay(date) {
    state.selected = date;
    updateDays();
    renderSlots();
    // Side by side the times are in view; stacked (narrow screens) bring them up.
    if (window.matchMedia('(max-width: 47.99em)').matches) slotsPanel.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }

  // ---- The chosen day's times ----
  function renderSlots() {
    const date = state.selected;
    if (!date) {
      slotsHeading.textContent = 'Available times';
      replace(slotsBody, h('p', { class: 'muted', text: 'Choose a day to see its free times.' }));
      return;
    }
    slotsHeading.textContent = formatDate(date, { weekday: 'long', month: 'long', day: 'numeric' });
    const slots = slotsOf(date);
    if (!slots) {
      replace(slotsBody, h('p', { class: 'muted', text: 'Loading times…' }));
      return;
    }
    if (!slots.length) {
      replace(slotsBody, h('p', { class: 'muted', text: 'No free times are left on this day. Please choose another day.' }));
      return;
    }
    replace(slotsBody, h('ul', { class: 'slot-list', 'aria-labelledby': `${p}-slots-heading` }, withCurrent(date, slots).map((slot) => {
      const isCurrent = currentStart && Date.parse(slot.start_time) === Date.parse(currentStart);
      const label = slot.start ? formatSlotTime(slot, state.zone) : formatTime(slot.start_time, state.zone);
      return h('li', {}, h('button', {
        type: 'button', class: ['slot', isCurrent && 'slot--current'], dataset: { start: slot.start_time, time: slot.start },
        disabled: isCurrent, on: { click: () => onPick({ slot, date, zone: state.zone }) },
      }, label, isCurrent ? h('span', { class: 'slot__note', text: ' (current time)' }) : null));
    })));
  }

  /**
   * The day's slots with the booking being moved (reschedule) in its place: the API lists it as
   * busy, but showing it, disabled, tells the invitee where the meeting is now.
   */
  function withCurrent(date, slots) {
    if (!currentStart || dateInZone(currentStart, state.zone) !== date) return slots;
    const at = Date.parse(currentStart);
    if (slots.some((s) => Date.parse(s.start_time) === at)) return slots;
    return [...slots, { start_time: currentStart }].sort((a, b) => Date.parse(a.start_time) - Date.parse(b.start_time));
  }

  // ---- Public ----
  /** Asks the server again for one day's times (e.g. after a 409) and shows them. */
  async function refreshDay(date, message = '') {
    const month = monthOf(date);
    const zoneAsked = state.zone;
    setBusy(true, 'Refreshing times…');
    try {
      const body = await api(slotsPath(date, date, zoneAsked));
      const key = `${zoneAsked}|${month}`;
      const days = state.cache.get(key) || new Map();
      for (const d of body.days) days.set(d.date, d.slots);
      state.cache.set(key, days);
    } catch (error) {
      setBusy(false);
      failed(error, () => refreshDay(date, message));
      return;
    }
    setBusy(false);
    if (state.month !== month) showMonth(month);
    state.selected = date;
    updateDays();
    renderSlots();
    // A fresh region may be re-attached just now; a tick later it is sure to be announced.
    setTimeout(() => say(message), 50);
  }

  function focusSlots() {
    slotsHeading.focus();
  }

  showZone();
  state.month = minMonth();
  state.focused = today();
  if (initialDate && initialDate >= today() && initialDate <= lastDay()) {
    state.month = monthOf(initialDate);
    state.focused = initialDate;
    state.selected = initialDate;
    state.autoAdvanced = true;
  }
  renderGrid();
  renderSlots();
  loadMonth(state.month);

  return {
    element,
    get zone() { return state.zone; },
    refreshDay,
    setZone: (z) => setZone(z),
    focusSlots,
  };
}
