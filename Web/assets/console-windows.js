// An editable list of time windows ({start_time, end_time}, wall-clock HH:mm) with add and
// remove: one per weekday in the weekly hours, one for a date override.
//
// Times are chosen from lists at 15-minute steps (a value off that grid, read from the API,
// is kept as an extra option). Ends go up to 24:00 ("midnight, end of day"); starts stop
// at 23:45, because no window can start at 24:00.

import { h, addDescribedBy, sentence } from './console-ui.js';
import { formatWallTime, minutesOf, hhmmOf } from './console-time.js';

const STEP = 15;

function timeOptions(kind, selected) {
  const values = [];
  const from = kind === 'start' ? 0 : STEP;
  const to = kind === 'start' ? 1440 - STEP : 1440;
  for (let m = from; m <= to; m += STEP) values.push(hhmmOf(m));
  if (selected && !values.includes(selected)) {
    values.push(selected);
    values.sort((a, b) => minutesOf(a) - minutesOf(b));
  }
  return values.map((v) => h('option', { value: v }, formatWallTime(v)));
}

export class WindowList {
  /**
   * idPrefix: ids become `${idPrefix}-${i}-start|end|error|remove` and `${idPrefix}-add`.
   * name: what the windows belong to, for labels ("Monday", "December 24").
   * onChange(): after any edit.
   */
  constructor({ idPrefix, name, windows = [], onChange = () => {} }) {
    this.idPrefix = idPrefix;
    this.name = name;
    this.onChange = onChange;
    this.windows = windows.map((w) => ({ start_time: w.start_time, end_time: w.end_time }));
    this.errors = [];
    this.list = h('ul', { class: 'console-windows', id: `${idPrefix}-windows`, 'aria-label': `Hours on ${name}` });
    this.addButton = h('button', {
      type: 'button', class: 'button button--quiet button--small console-windows__add', id: `${idPrefix}-add`,
      'aria-label': `Add hours on ${name}`, onclick: () => this.add(),
    }, h('span', { 'aria-hidden': 'true' }, '+ '), 'Add hours');
    this.element = h('div', { class: 'console-windows-editor' }, this.list, this.addButton);
    this.render();
  }

  /** The windows as the API takes them. */
  value() {
    return this.windows.map((w) => ({ start_time: w.start_time, end_time: w.end_time }));
  }

  set(windows) {
    this.windows = windows.map((w) => ({ start_time: w.start_time, end_time: w.end_time }));
    this.errors = [];
    this.render();
  }

  /** A new window: after the last one (an hour long), or 09:00–17:00 on an empty list. */
  add({ focus = true } = {}) {
    const last = this.windows[this.windows.length - 1];
    let next = { start_time: '09:00', end_time: '17:00' };
    if (last) {
      const start = Math.min(minutesOf(last.end_time) + 60, 1440 - 60);
      next = { start_time: hhmmOf(start), end_time: hhmmOf(Math.min(start + 60, 1440)) };
    }
    this.windows.push(next);
    this.errors = [];
    this.render();
    this.onChange();
    if (focus) this.list.querySelector(`#${this.idPrefix}-${this.windows.length - 1}-start`)?.focus();
  }

  remove(index) {
    this.windows.splice(index, 1);
    this.errors = [];
    this.render();
    this.onChange();
    // Focus stays nearby: the window that took its place, the one before, or the add button.
    const target = this.list.querySelector(`#${this.idPrefix}-${Math.min(index, this.windows.length - 1)}-remove`) || this.addButton;
    target.focus();
  }

  /**
   * Shows an API error on window `index`: which = 'start_time' | 'end_time' | null (the whole
   * window). Returns the control it is shown on.
   */
  setError(index, which, message) {
    const start = this.list.querySelector(`#${this.idPrefix}-${index}-start`);
    const end = this.list.querySelector(`#${this.idPrefix}-${index}-end`);
    if (!start || !end) return null;
    const errorEl = this.list.querySelector(`#${this.idPrefix}-${index}-error`);
    const text = sentence(message);
    errorEl.textContent = errorEl.textContent ? `${errorEl.textContent} ${text}` : text;
    errorEl.hidden = false;
    const targets = which === 'start_time' ? [start] : which === 'end_time' ? [end] : [start, end];
    for (const t of targets) {
      t.setAttribute('aria-invalid', 'true');
      addDescribedBy(t, errorEl.id);
    }
    this.list.children[index]?.classList.add('console-window--invalid');
    return targets[0];
  }

  clearErrors() {
    Array.from(this.list.children).forEach((row, i) => this.clearRow(i));
  }

  render() {
    const rows = this.windows.map((w, i) => {
      const number = i + 1;
      const label = this.windows.length > 1 ? `${this.name}, hours ${number}` : this.name;
      // Named with aria-label: a visible "From"/"To" on every row would crowd seven days.
      const start = h('select', { id: `${this.idPrefix}-${i}-start`, class: 'console-time', value: w.start_time, 'aria-label': `${label}: from` }, timeOptions('start', w.start_time));
      const end = h('select', { id: `${this.idPrefix}-${i}-end`, class: 'console-time', value: w.end_time, 'aria-label': `${label}: to` }, timeOptions('end', w.end_time));
      start.addEventListener('change', () => { w.start_time = start.value; this.clearRow(i); this.onChange(); });
      end.addEventListener('change', () => { w.end_time = end.value; this.clearRow(i); this.onChange(); });
      return h('li', { class: 'console-window' },
        h('div', { class: 'console-window__row' },
          start,
          h('span', { class: 'console-window__dash', 'aria-hidden': 'true' }, '–'),
          end,
          h('button', {
            type: 'button', class: 'button button--quiet button--small console-window__remove', id: `${this.idPrefix}-${i}-remove`,
            'aria-label': `Remove ${label}`,
            onclick: () => this.remove(i),
          }, h('span', { 'aria-hidden': 'true' }, '×'), h('span', { class: 'console-window__remove-text' }, 'Remove'))),
        h('p', { class: 'field__error', id: `${this.idPrefix}-${i}-error`, hidden: true }));
    });
    this.list.replaceChildren(...rows);
    this.list.hidden = rows.length === 0;
  }

  clearRow(i) {
    const row = this.list.children[i];
    if (!row) return;
    row.classList.remove('console-window--invalid');
    const errorEl = row.querySelector('.field__error');
    errorEl.textContent = '';
    errorEl.hidden = true;
    for (const part of ['start', 'end']) {
      const input = row.querySelector(`#${this.idPrefix}-${i}-${part}`);
      input.removeAttribute('aria-invalid');
      const ids = (input.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== errorEl.id);
      if (ids.length) input.setAttribute('aria-describedby', ids.join(' ')); else input.removeAttribute('aria-describedby');
    }
  }
}

/**
 * Where an API error about a window list belongs: `rules[3].start_time` → {index: 3, which:
 * 'start_time'}; `intervals[0]` → {index: 0, which: null}. `key` is `rules` or `intervals`.
 */
export function parseWindowField(field, key) {
  const m = new RegExp(`^${key}\\[(\\d+)\\](?:\\.(\\w+))?$`).exec(field || '');
  if (!m) return null;
  const which = m[2] === 'start_time' || m[2] === 'end_time' ? m[2] : null;
  return { index: Number(m[1]), which };
}
