// Small DOM helpers shared by the pages. The CSP forbids inline script and style, so every
// element is built here and every handler is attached with addEventListener.

/**
 * Creates an element. `props`: `class`, `text`, `dataset` (an object), `on` ({event: handler}),
 * any other key becomes an attribute (false/null/undefined leave it out, true sets it empty).
 * Children may be nodes, strings, or nested arrays; null and false are skipped.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'text') element.textContent = value;
    else if (key === 'dataset') {
      for (const [name, data] of Object.entries(value)) if (data !== undefined && data !== null) element.dataset[name] = data;
    }
    else if (key === 'on') for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces the children of `parent` with `children`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
  return parent;
}

/**
 * Moves focus to `element` (a heading gets tabindex=-1 so it can take focus without joining
 * the tab order). Used when a view changes so screen-reader and keyboard users land on it.
 */
export function focusHeading(element) {
  if (!element) return;
  if (!element.hasAttribute('tabindex')) element.setAttribute('tabindex', '-1');
  element.focus({ preventScroll: false });
}

/** A visible loading state: a spinner and text, in a polite status region with aria-busy. */
export function loading(text, props = {}) {
  return h('div', { class: 'loading', role: 'status', 'aria-live': 'polite', 'aria-busy': 'true', ...props },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    h('span', { text }));
}

/**
 * An error notice with an optional retry button. `role=alert` so it is announced at once.
 * `retry`: a function; the button is labelled `retryLabel`.
 */
export function errorNotice(message, { retry, retryLabel = 'Try again', title, id } = {}) {
  return h('div', { class: 'notice notice--error', role: 'alert', id },
    title ? h('p', { class: 'notice__title', text: title }) : null,
    h('p', { text: message }),
    retry ? h('p', {}, h('button', { type: 'button', class: 'button', on: { click: retry } }, retryLabel)) : null);
}

/**
 * A form field: label, optional hint, control and error slot, wired with aria-describedby.
 * `control` is an input, select or textarea whose id is already set.
 * Returns the wrapper; use setFieldError(wrapper, message) to show or clear the error.
 */
export function field({ label, control, hint, optional = false }) {
  const id = control.id;
  const hintElement = hint ? h('p', { class: 'field__hint', id: `${id}-hint`, text: hint }) : null;
  const error = h('p', { class: 'field__error', id: `${id}-error`, hidden: true });
  const wrapper = h('div', { class: 'field', dataset: { field: control.name || id } },
    h('label', { class: 'field__label', for: id }, label, optional ? h('span', { class: 'field__optional', text: ' (optional)' }) : null),
    hintElement, control, error);
  control.classList.add('field__control');
  describe(control, hintElement ? [hintElement.id] : []);
  return wrapper;
}

function describe(control, ids) {
  if (ids.length) control.setAttribute('aria-describedby', ids.join(' '));
  else control.removeAttribute('aria-describedby');
}

/** Shows `message` under the field's control (aria-invalid, aria-describedby), or clears it. */
export function setFieldError(wrapper, message) {
  const control = wrapper.querySelector('.field__control');
  const error = wrapper.querySelector('.field__error');
  const hint = wrapper.querySelector('.field__hint');
  const ids = hint ? [hint.id] : [];
  if (message) {
    error.textContent = message;
    error.hidden = false;
    control.setAttribute('aria-invalid', 'true');
    describe(control, [error.id, ...ids]);
  } else {
    error.textContent = '';
    error.hidden = true;
    control.removeAttribute('aria-invalid');
    describe(control, ids);
  }
}

/** Sets the document title as "<view> · Rendezvous". */
export function setTitle(view) {
  document.title = view ? `${view} · Rendezvous` : 'Rendezvous';
}

/** Simple inline SVG icons (built with DOM calls: no innerHTML, no inline style). */
export function icon(name) {
  const paths = {
    clock: 'M12 7v5l3 2 M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z',
    globe: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z M3 12h18 M12 3c2.5 2.5 3.8 5.5 3.8 9s-1.3 6.5-3.8 9c-2.5-2.5-3.8-5.5-3.8-9S9.5 5.5 12 3z',
    calendar: 'M4 6h16v14H4z M4 10h16 M8 3v4 M16 3v4',
    check: 'M5 12.5l4.5 4.5L19 7.5',
    user: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z M4 21c0-4 3.6-6.5 8-6.5s8 2.5 8 6.5',
    left: 'M15 5l-7 7 7 7',
    right: 'M9 5l7 7-7 7',
    download: 'M12 4v11 M7 10l5 5 5-5 M5 20h14',
  };
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', `icon icon--${name}`);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', paths[name] || '');
  svg.append(path);
  return svg;
}
