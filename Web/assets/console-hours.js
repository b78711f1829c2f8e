// Weekly hours (/host/hours): GET/PUT /api/availability/rules, several windows a day.

import { h, button, loading, noticeSlot, whileBusy, isBusy, describeError, errorList, announce } from './console-ui.js';
import { WindowList, parseWindowField } from './console-windows.js';
import { DAY_NAMES } from './console-time.js';

// Monday first reads like a working week; day_of_week stays the API's (0 = Sunday).
const DISPLAY_ORDER = [1, 2, 3, 4, 5, 6, 0];

export async function render(ctx) {
  ctx.pageHeader('Weekly hours', {
    lead: h('span', {}, 'When people can book you, week after week. Times are in ',
      h('strong', {}, ctx.user.time_zone), ' (', h('a', { href: '/host/profile' }, 'change your time zone'), ').'),
  });
  const region = h('div', { class: 'console-region', 'aria-busy': 'true' }, loading('Loading your weekly hours…'));
  ctx.main.append(region);

  const schedule = await ctx.request('/api/availability/rules');
  region.removeAttribute('aria-busy');

  let saved = JSON.stringify(normalise(schedule.rules));
  const messages = noticeSlot('hours-notice');
  const dirtyNote = h('p', { class: 'console-dirty', id: 'hours-dirty', hidden: true }, 'You have unsaved changes.');
  const lists = [];
  const copyButtons = [];

  const onChange = () => {
    const dirty = JSON.stringify(normalise(currentRules().rules)) !== saved;
    dirtyNote.hidden = !dirty;
    resetButton.hidden = !dirty;
    for (const d of DISPLAY_ORDER) {
      copyButtons[d].hidden = lists[d].windows.length === 0;
      const off = lists[d].windows.length === 0;
      dayRows[d].classList.toggle('console-day--off', off);
      dayRows[d].querySelector('.console-day__off').hidden = !off;
    }
  };

  const dayRows = [];
  for (const d of DISPLAY_ORDER) {
    const name = DAY_NAMES[d];
    lists[d] = new WindowList({
      idPrefix: `hours-${d}`, name,
      windows: schedule.rules.filter((r) => r.day_of_week === d),
      onChange,
    });
    copyButtons[d] = h('button', {
      type: 'button', class: 'button button--quiet button--small console-day__copy', id: `hours-${d}-copy`,
      'aria-label': `Copy ${name}'s hours to all days`,
      onclick: () => copyToAll(d),
    }, 'Copy to all days');
    const legendId = `hours-${d}-legend`;
    dayRows[d] = h('fieldset', { class: 'console-day', id: `hours-day-${d}` },
      h('legend', { class: 'console-day__name', id: legendId }, name),
      h('div', { class: 'console-day__body' },
        h('p', { class: 'console-day__off', id: `hours-${d}-off` }, 'Unavailable'),
        lists[d].element),
      h('div', { class: 'console-day__actions' }, copyButtons[d]));
  }

  function currentRules() {
    const rules = [];
    const origin = []; // rules[i] came from window origin[i].index of day origin[i].day
    for (let d = 0; d < 7; d += 1) {
      lists[d].value().forEach((w, index) => {
        rules.push({ day_of_week: d, start_time: w.start_time, end_time: w.end_time });
        origin.push({ day: d, index });
      });
    }
    return { rules, origin };
  }

  function copyToAll(from) {
    const windows = lists[from].value();
    for (let d = 0; d < 7; d += 1) if (d !== from) lists[d].set(windows);
    onChange();
    messages.show('info', `${DAY_NAMES[from]}'s hours are now on every day. Save to keep them.`);
  }

  const saveButton = button('Save weekly hours', { variant: 'primary', type: 'submit', id: 'hours-save' });
  const resetButton = button('Discard changes', { variant: 'quiet', id: 'hours-reset', onclick: () => reset() });
  resetButton.hidden = true;

  let savedRules = schedule.rules;
  function reset() {
    for (let d = 0; d < 7; d += 1) lists[d].set(savedRules.filter((r) => r.day_of_week === d));
    messages.clear();
    onChange();
    announce('Changes discarded.');
    saveButton.focus();
  }

  const presetButton = button('Fill in Monday to Friday, 9:00 to 17:00', { variant: 'quiet', id: 'hours-preset', small: true, onclick: () => {
    for (let d = 1; d <= 5; d += 1) lists[d].set([{ start_time: '09:00', end_time: '17:00' }]);
    onChange();
    announce('Monday to Friday set to 9:00 to 17:00. Save to keep them.');
  } });

  const form = h('form', { id: 'hours-form', class: 'card stack console-form', novalidate: true, 'aria-label': 'Weekly hours' },
    messages.element,
    schedule.rules.length === 0 ? h('div', { class: 'console-empty-hint' },
      h('p', {}, 'You have no weekly hours yet, so nobody can book you. Add hours to a day, or start from a working week:'),
      presetButton) : null,
    h('div', { class: 'console-days' }, DISPLAY_ORDER.map((d) => dayRows[d])),
    h('div', { class: 'console-actions console-hours__actions' }, saveButton, resetButton, dirtyNote));
  region.replaceChildren(form);
  onChange();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (isBusy(saveButton)) return;
    messages.clear();
    lists.forEach((l) => l.clearErrors());
    const { rules, origin } = currentRules();
    await whileBusy(saveButton, 'Saving…', async () => {
      try {
        const answer = await ctx.request('/api/availability/rules', { method: 'PUT', body: { rules } });
        savedRules = answer.rules;
        for (let d = 0; d < 7; d += 1) lists[d].set(answer.rules.filter((r) => r.day_of_week === d));
        saved = JSON.stringify(normalise(answer.rules));
        onChange();
        form.querySelector('.console-empty-hint')?.remove();
        messages.show('success', 'Weekly hours saved.');
      } catch (error) {
        if (error.name === 'AbortError' || error.quiet) return;
        if (error.code !== 'validation_failed') {
          messages.show('error', describeError(error));
          return;
        }
        let first = null;
        const unplaced = [];
        for (const e of error.errors) {
          const where = parseWindowField(e.field, 'rules');
          const source = where && origin[where.index];
          const control = source ? lists[source.day].setError(source.index, where.which, e.message) : null;
          if (control) first ||= control; else unplaced.push(e);
        }
        messages.show('error', first ? 'Some hours need a fix: see the marked days below.' : describeError(error), errorList(unplaced));
        // The first marked control on screen (days are shown Monday first, sent Sunday first).
        (form.querySelector('[aria-invalid="true"]') || first)?.focus();
      }
    });
  });
}

function normalise(rules) {
  return [...rules]
    .map((r) => ({ day_of_week: r.day_of_week, start_time: r.start_time, end_time: r.end_time }))
    .sort((a, b) => a.day_of_week - b.day_of_week || a.start_time.localeCompare(b.start_time));
}
