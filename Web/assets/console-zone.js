// The time-zone field of the console's forms: the shared searchable picker (zones.js) when it
// is there, else a plain text field with the browser's zone names as suggestions.

import { h } from './console-ui.js';

let shared; // Promise of zones.js's module, or null when it cannot be loaded.

function loadShared() {
  shared ||= import('./zones.js').catch(() => null);
  return shared;
}

/**
 * A time-zone field. Resolves to {element, get value(), input}: `value` is the zone chosen so far
 * (the API checks it: an unknown name comes back as a 422 naming the field).
 */
export async function zoneField({ id, label, value, hint }) {
  let current = value;
  const onChange = (zone) => { current = zone; };
  const module = await loadShared();
  if (module?.zonePicker) {
    const element = module.zonePicker({ id, label, value, onChange });
    const input = element.input || element.querySelector(`#${CSS.escape(id)}`);
    if (hint) {
      // The picker has its own hint (`${id}-hint`); ours goes after the field.
      const note = h('p', { class: 'field__hint', id: `${id}-note` }, hint);
      element.append(note);
      input?.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), note.id].filter(Boolean).join(' '));
    }
    return {
      element,
      // The text as it stands: the picker puts the zone it resolved there ("paris" becomes
      // Europe/Paris); anything it could not resolve goes to the API, whose 422 names the field.
      get value() { return input ? input.value.trim() || current : current; },
      input,
    };
  }
  return fallbackField({ id, label, value, hint });
}

function fallbackField({ id, label, value, hint }) {
  let names = [];
  try { names = Intl.supportedValuesOf('timeZone'); } catch { names = []; }
  if (!names.includes('UTC')) names = ['UTC', ...names];
  const listId = `${id}-list`;
  const input = h('input', {
    id, name: id, type: 'text', value: value || '', list: listId, autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'off', required: true, 'aria-describedby': hint ? `${id}-hint` : null,
  });
  const element = h('div', { class: 'field' },
    h('label', { class: 'field__label', for: id }, label),
    hint ? h('p', { class: 'field__hint', id: `${id}-hint` }, hint) : null,
    input,
    h('datalist', { id: listId }, names.map((name) => h('option', { value: name }))),
    h('p', { class: 'field__error', id: `${id}-error`, hidden: true }));
  return {
    element,
    get value() { return input.value.trim(); },
    input,
  };
}
