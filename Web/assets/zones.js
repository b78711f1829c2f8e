// The time-zone picker: a labelled text input with a <datalist> of every IANA zone the server
// accepts, so a visitor can type a few letters ("tok", "new york") and pick a match.
//
// The list comes from GET /api/time-zones (the server's own tz database: exactly the names it
// accepts). Where that route is missing, the browser's Intl list stands in; it holds canonical
// zones only, which the server accepts too.

import { api } from './api.js';
import { h, setFieldError } from './dom.js';
import { zoneOffset } from './format.js';

let zoneList = null;

/** Every zone name the server accepts (cached for the page's life). Never rejects. */
export function loadZones() {
  if (!zoneList) {
    zoneList = api('/api/time-zones')
      .then((body) => {
        if (!Array.isArray(body?.data) || body.data.length === 0) throw new Error('no zones');
        return body.data;
      })
      .catch(() => {
        const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
        return zones.includes('UTC') ? zones : [...zones, 'UTC'];
      })
      .then((zones) => [...new Set(zones)].sort());
  }
  return zoneList;
}

/**
 * The zone a visitor's text names, or null: an exact name; the same ignoring case, spaces for
 * underscores; or the city part alone when only one zone has it ("paris" → Europe/Paris).
 */
export function resolveZone(text, zones) {
  const wanted = text.trim();
  if (!wanted) return null;
  if (zones.includes(wanted)) return wanted;
  const normal = (s) => s.toLowerCase().replace(/[\s_]+/g, '_');
  const key = normal(wanted);
  const exact = zones.filter((z) => normal(z) === key);
  if (exact.length === 1) return exact[0];
  const city = zones.filter((z) => normal(z.split('/').pop()) === key);
  return city.length === 1 ? city[0] : null;
}

let pickerCount = 0;

/**
 * A zone picker field. `id`: the input's id; `label`: its label text; `value`: the current zone;
 * `onChange(zone)`: called with a zone the server accepts when the visitor picks another one.
 * Returns the field element (a `.field`); `element.setZone(zone)` changes the shown value and
 * `element.input` is the input.
 */
export function zonePicker({ id = `zone-picker-${++pickerCount}`, label = 'Time zone', value = '', onChange = () => {} } = {}) {
  const listId = `${id}-list`;
  const datalist = h('datalist', { id: listId });
  const input = h('input', {
    id, name: 'time_zone', type: 'text', list: listId, value,
    class: 'field__control', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off',
    placeholder: 'Search, e.g. Europe/Paris',
    'aria-describedby': `${id}-hint`,
  });
  const hint = h('p', { class: 'field__hint', id: `${id}-hint`, text: 'Type a city or region, then choose from the list.' });
  const error = h('p', { class: 'field__error', id: `${id}-error`, hidden: true });
  const element = h('div', { class: 'field zone-picker', dataset: { field: 'time_zone' } },
    h('label', { class: 'field__label', for: id, text: label }), hint, input, datalist, error);

  let current = value;

  // Options carry the current offset as their label ("Europe/Paris  GMT+1").
  // The list is fetched when the picker is first used, not on every page view.
  let filled = false;
  function fill() {
    if (filled) return;
    filled = true;
    loadZones().then((zones) => {
      datalist.replaceChildren(...zones.map((zone) => h('option', { value: zone, label: zoneOffset(zone) || zone })));
    });
  }

  async function commit() {
    const zones = await loadZones();
    const zone = resolveZone(input.value, zones);
    if (!zone) {
      setFieldError(element, input.value.trim()
        ? `“${input.value.trim()}” is not a time zone we know. Choose one from the list, such as Europe/Paris.`
        : 'Choose a time zone from the list.');
      return;
    }
    setFieldError(element, null);
    input.value = zone;
    if (zone !== current) {
      current = zone;
      onChange(zone);
    }
  }

  // Selecting the text on focus lets typing replace it, so the datalist shows every match
  // rather than only the entries that contain the current zone's name.
  input.addEventListener('focus', () => { fill(); input.select(); });
  input.addEventListener('change', commit);
  // Picking a datalist entry is an input event without typing (Chrome: insertReplacementText).
  input.addEventListener('input', (event) => {
    if (!event.inputType || event.inputType === 'insertReplacementText') commit();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault(); // never submit a surrounding form
      commit();
    } else if (event.key === 'Escape' && input.value !== current) {
      input.value = current;
      setFieldError(element, null);
    }
  });

  element.input = input;
  element.setZone = (zone) => {
    current = zone;
    input.value = zone;
    setFieldError(element, null);
  };
  return element;
}
