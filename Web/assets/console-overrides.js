// Date overrides (/host/overrides): a day off or other hours on one date.
// GET /api/availability/overrides?from=&to=, PUT and DELETE /api/availability/overrides/{date}.

import {
  h, button, loading, noticeSlot, whileBusy, isBusy, describeError, errorList, announce,
  setFieldError, clearErrors, clearOnInput, sentence,
} from './console-ui.js';
import { WindowList, parseWindowField } from './console-windows.js';
import { todayIn, addDays, formatDate, formatWindow, weekdayOf, DAY_NAMES } from './console-time.js';

const PAGE = 100;

export async function render(ctx) {
  const zone = ctx.user.time_zone;
  const today = todayIn(zone);
  ctx.pageHeader('Date overrides', {
    lead: h('span', {}, 'Take a day off, or offer other hours on one date: it replaces your weekly hours for that date. Times are in ',
      h('strong', {}, zone), '.'),
  });

  const region = h('div', { class: 'console-region console-columns', 'aria-busy': 'true' }, loading('Loading your overrides…'));
  ctx.main.append(region);

  const range = `from=${today}&to=${addDays(today, 365)}`;
  const [rules, firstPage] = await Promise.all([
    ctx.request('/api/availability/rules').catch((e) => { if (e.quiet || e.name === 'AbortError') throw e; return null; }),
    ctx.request(`/api/availability/overrides?${range}&limit=${PAGE}`),
  ]);
  region.removeAttribute('aria-busy');

  // ---- The form ------------------------------------------------------------------------------
  const messages = noticeSlot('override-notice');
  const dateInput = h('input', { type: 'date', id: 'override-date', name: 'override-date', min: today, required: true, 'aria-describedby': 'override-usual' });
  const usual = h('p', { class: 'field__hint', id: 'override-usual' }, 'Pick a date to see your usual hours on it.');
  const kindOff = h('input', { type: 'radio', name: 'override-kind', id: 'override-kind-off', value: 'off', checked: true });
  const kindHours = h('input', { type: 'radio', name: 'override-kind', id: 'override-kind-hours', value: 'hours' });
  const windows = new WindowList({ idPrefix: 'override', name: 'this date', windows: [{ start_time: '09:00', end_time: '17:00' }] });
  const windowsBox = h('div', { class: 'console-override-windows', id: 'override-windows-box', hidden: true },
    h('p', { class: 'console-subtle', id: 'override-windows-label' }, 'Your hours on this date:'), windows.element);
  windows.list.setAttribute('aria-labelledby', 'override-windows-label');
  const saveButton = button('Save override', { variant: 'primary', type: 'submit', id: 'override-save' });
  const cancelEdit = button('Cancel', { variant: 'quiet', id: 'override-cancel', onclick: () => resetForm(true) });
  cancelEdit.hidden = true;
  const formHeading = h('h2', { id: 'override-form-heading' }, 'Add an override');

  const form = h('form', { id: 'override-form', class: 'card stack console-form', novalidate: true, 'aria-labelledby': 'override-form-heading' },
    formHeading,
    messages.element,
    h('div', { class: 'field' },
      h('label', { class: 'field__label', for: 'override-date' }, 'Date'),
      dateInput,
      usual,
      h('p', { class: 'field__error', id: 'override-date-error', hidden: true })),
    h('fieldset', { class: 'console-radio-group' },
      h('legend', {}, 'On this date'),
      h('div', { class: 'console-check' }, kindOff, h('label', { for: 'override-kind-off' }, 'Unavailable all day')),
      h('div', { class: 'console-check' }, kindHours, h('label', { for: 'override-kind-hours' }, 'Available at other hours'))),
    windowsBox,
    h('div', { class: 'console-actions' }, saveButton, cancelEdit));
  clearOnInput(form);

  const syncKind = () => { windowsBox.hidden = !kindHours.checked; };
  kindOff.addEventListener('change', syncKind);
  kindHours.addEventListener('change', () => {
    syncKind();
    if (windows.windows.length === 0) windows.add({ focus: false });
  });

  const usualHours = (date) => {
    if (!rules || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return 'Pick a date to see your usual hours on it.';
    const day = weekdayOf(date);
    const list = rules.rules.filter((r) => r.day_of_week === day);
    const text = list.length ? list.map(formatWindow).join(', ') : 'unavailable';
    return `Your usual hours on ${DAY_NAMES[day]}s: ${text}.`;
  };
  dateInput.addEventListener('change', () => {
    usual.textContent = usualHours(dateInput.value);
    const existing = overrides.find((o) => o.date === dateInput.value);
    if (existing) usual.textContent += ' This date already has an override: saving replaces it.';
  });

  function resetForm(focus) {
    dateInput.value = '';
    dateInput.readOnly = false;
    kindOff.checked = true;
    windows.set([{ start_time: '09:00', end_time: '17:00' }]);
    syncKind();
    clearErrors(form);
    usual.textContent = usualHours('');
    formHeading.textContent = 'Add an override';
    cancelEdit.hidden = true;
    if (focus) dateInput.focus();
  }

  function edit(override) {
    messages.clear();
    clearErrors(form);
    dateInput.value = override.date;
    usual.textContent = usualHours(override.date);
    formHeading.textContent = `Change the override of ${formatDate(override.date)}`;
    cancelEdit.hidden = false;
    if (override.intervals.length === 0) {
      kindOff.checked = true;
      windows.set([{ start_time: '09:00', end_time: '17:00' }]);
    } else {
      kindHours.checked = true;
      windows.set(override.intervals);
    }
    syncKind();
    form.scrollIntoView({ block: 'start' });
    dateInput.focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (isBusy(saveButton)) return;
    messages.clear();
    clearErrors(form);
    windows.clearErrors();
    const date = dateInput.value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      setFieldError(dateInput, 'Choose a date.');
      dateInput.focus();
      return;
    }
    const intervals = kindHours.checked ? windows.value() : [];
    if (kindHours.checked && intervals.length === 0) {
      messages.show('error', 'Add at least one window of hours, or choose "Unavailable all day".');
      windows.addButton.focus();
      return;
    }
    await whileBusy(saveButton, 'Saving…', async () => {
      try {
        const saved = await ctx.request(`/api/availability/overrides/${date}`, { method: 'PUT', body: { intervals } });
        upsert(saved);
        resetForm(false);
        messages.show('success', `${formatDate(saved.date)}: ${describe(saved)}. Saved.`);
        dateInput.focus();
      } catch (error) {
        if (error.name === 'AbortError' || error.quiet) return;
        if (error.code !== 'validation_failed') {
          messages.show('error', describeError(error));
          return;
        }
        let first = null;
        const unplaced = [];
        for (const e of error.errors) {
          const where = parseWindowField(e.field, 'intervals');
          let control = null;
          if (where) control = windows.setError(where.index, where.which, e.message);
          else if (e.field === 'date') { setFieldError(dateInput, sentence(e.message)); control = dateInput; }
          if (control) first ||= control; else unplaced.push(e);
        }
        messages.show('error', first ? 'Please fix the marked fields.' : describeError(error), errorList(unplaced));
        first?.focus();
      }
    });
  });

  // ---- The list ------------------------------------------------------------------------------
  let overrides = firstPage.data;
  let cursor = firstPage.next_cursor;
  const listMessages = noticeSlot('overrides-list-notice');
  const list = h('ul', { class: 'console-list', id: 'overrides-list', 'aria-labelledby': 'overrides-heading' });
  const empty = h('p', { class: 'console-empty', id: 'overrides-empty' }, 'No overrides in the coming year. Your weekly hours apply every day.');
  const moreButton = button('Show more', { variant: 'quiet', id: 'overrides-more' });

  function describe(o) {
    return o.intervals.length === 0 ? 'Unavailable all day' : o.intervals.map(formatWindow).join(', ');
  }

  function upsert(o) {
    overrides = overrides.filter((x) => x.date !== o.date);
    overrides.push(o);
    overrides.sort((a, b) => a.date.localeCompare(b.date));
    drawList();
  }

  function drawList() {
    list.replaceChildren(...overrides.map((o) => {
      const name = formatDate(o.date);
      const removeBtn = button('Remove', { variant: 'quiet', small: true, ariaLabel: `Remove the override of ${name}` });
      removeBtn.dataset.action = 'remove';
      removeBtn.addEventListener('click', () => whileBusy(removeBtn, 'Removing…', async () => {
        listMessages.clear();
        try {
          await ctx.request(`/api/availability/overrides/${o.date}`, { method: 'DELETE' });
          const index = overrides.indexOf(o);
          overrides = overrides.filter((x) => x !== o);
          drawList();
          const next = list.children[Math.min(index, list.children.length - 1)];
          (next?.querySelector('button') || dateInput).focus();
          announce(`Override of ${name} removed. Your weekly hours apply again.`);
        } catch (error) {
          if (error.name === 'AbortError' || error.quiet) return;
          if (error.status === 404) {
            overrides = overrides.filter((x) => x !== o);
            drawList();
            listMessages.show('info', `The override of ${name} was already removed.`);
          } else {
            listMessages.show('error', describeError(error));
          }
        }
      }));
      const editBtn = button('Change', { variant: 'quiet', small: true, ariaLabel: `Change the override of ${name}`, onclick: () => edit(o) });
      editBtn.dataset.action = 'edit';
      return h('li', { class: 'console-list__item console-override', dataset: { date: o.date } },
        h('div', { class: 'console-list__main' },
          h('p', { class: 'console-list__title' }, name),
          h('p', { class: `console-list__meta${o.intervals.length === 0 ? ' console-badge-text--off' : ''}` }, describe(o))),
        h('div', { class: 'console-list__actions' }, editBtn, removeBtn));
    }));
    empty.hidden = overrides.length > 0;
    list.hidden = overrides.length === 0;
    moreButton.hidden = !cursor;
  }

  moreButton.addEventListener('click', () => whileBusy(moreButton, 'Loading…', async () => {
    try {
      const page = await ctx.request(`/api/availability/overrides?${range}&limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`);
      const known = new Set(overrides.map((o) => o.date));
      overrides = overrides.concat(page.data.filter((o) => !known.has(o.date)));
      cursor = page.next_cursor;
      drawList();
      announce(`${page.data.length} more overrides shown.`);
    } catch (error) {
      if (error.name === 'AbortError' || error.quiet) return;
      listMessages.show('error', describeError(error));
    }
  }));

  drawList();
  const listSection = h('section', { class: 'card stack console-section', 'aria-labelledby': 'overrides-heading' },
    h('h2', { id: 'overrides-heading' }, 'Upcoming overrides'),
    listMessages.element, empty, list, h('div', { class: 'console-actions' }, moreButton));
  region.replaceChildren(form, listSection);
}
