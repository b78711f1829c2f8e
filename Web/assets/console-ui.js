// Small DOM building blocks of the host console: elements, form fields with their errors,
// notices, loading states, busy buttons, copy buttons and the confirmation dialog.
//
// Nothing here writes a style attribute or an inline handler: the pages run under a CSP
// without 'unsafe-inline', so every look comes from base.css / console.css classes.

/** An element: h('button', {class: 'button', onclick: fn}, 'Save'). Null/false children are skipped. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  const properties = [];
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'indeterminate') properties.push([key, value]);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  // After the children: a <select>'s value needs its options.
  for (const [key, value] of properties) el[key] = value;
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `el` (null/false children are skipped, unlike replaceChildren). */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A screen-reader-only text. */
export function srOnly(text) {
  return h('span', { class: 'visually-hidden' }, text);
}

// ---------------------------------------------------------------------------------------------
// Live regions

/** Says `text` politely through the page's status region (for screen readers). */
export function announce(text) {
  const region = document.getElementById('console-announcer');
  if (!region) return;
  region.textContent = '';
  // A fresh text node in a later task, so the same message said twice is read twice.
  setTimeout(() => { region.textContent = text; }, 50);
}

/**
 * A visible notice. kind: 'info' | 'success' | 'error' | 'warning'. Errors are alerts (read at
 * once), the rest polite status messages.
 */
export function notice(kind, ...content) {
  const classes = ['notice', `notice--${kind}`, 'console-notice', `console-notice--${kind}`];
  return h('div', { class: classes.join(' '), role: kind === 'error' ? 'alert' : 'status' }, ...content);
}

/**
 * A slot that shows at most one notice at a time (a form's or a page's messages). Its element
 * is a live region from the start, so notices put into it later are announced.
 */
export function noticeSlot(id) {
  const el = h('div', { class: 'console-notice-slot', id });
  return {
    element: el,
    show(kind, ...content) {
      const n = notice(kind, ...content);
      el.replaceChildren(n);
      return n;
    },
    clear() { el.replaceChildren(); },
  };
}

/** The loading state of a region: a spinner and a sentence, announced politely. */
export function loading(text = 'Loading…') {
  return h('div', { class: 'loading console-loading', role: 'status' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    h('span', {}, text));
}

// ---------------------------------------------------------------------------------------------
// Buttons

/** A button. variant: 'primary' | 'quiet' | 'danger' | undefined. */
export function button(label, { variant, type = 'button', id, onclick, ariaLabel, small } = {}) {
  const classes = ['button'];
  if (variant) classes.push(`button--${variant}`);
  if (small) classes.push('button--small');
  return h('button', { type, class: classes.join(' '), id, onclick, 'aria-label': ariaLabel }, label);
}

/**
 * Runs `work` with `buttonEl` showing a busy state. The button keeps its focus (it is marked
 * aria-disabled rather than disabled) and a second press while busy does nothing.
 */
export async function whileBusy(buttonEl, busyLabel, work) {
  if (!buttonEl) return work();
  if (buttonEl.dataset.busy === 'true') return undefined;
  const original = Array.from(buttonEl.childNodes);
  const form = buttonEl.form;
  buttonEl.dataset.busy = 'true';
  buttonEl.setAttribute('aria-disabled', 'true');
  form?.setAttribute('aria-busy', 'true');
  buttonEl.replaceChildren(h('span', { class: 'spinner spinner--small', 'aria-hidden': 'true' }), busyLabel);
  try {
    return await work();
  } finally {
    if (buttonEl.isConnected) {
      buttonEl.replaceChildren(...original);
      buttonEl.removeAttribute('aria-disabled');
      delete buttonEl.dataset.busy;
    }
    form?.removeAttribute('aria-busy');
  }
}

/** True while `buttonEl` is running its work (see whileBusy). */
export function isBusy(el) {
  return el?.dataset.busy === 'true';
}

/** A button that copies `text` to the clipboard. `what` names the link for assistive tech. */
export function copyButton(text, what, { id } = {}) {
  const label = 'Copy link';
  const btn = h('button', { type: 'button', class: 'button button--quiet button--small console-copy', id, 'aria-label': `Copy ${what}` }, label);
  let timer;
  btn.addEventListener('click', async () => {
    const ok = await copyText(text);
    btn.textContent = ok ? 'Copied' : 'Copy failed';
    announce(ok ? `Copied ${what}: ${text}` : `Could not copy. The link is ${text}`);
    clearTimeout(timer);
    timer = setTimeout(() => { btn.textContent = label; }, 2000);
  });
  return btn;
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Without the async clipboard (an insecure origin, or permission refused): a hidden
    // text area and the old copy command.
    const area = h('textarea', { class: 'visually-hidden', readonly: true, 'aria-hidden': 'true', tabindex: '-1' });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch { ok = false; }
    area.remove();
    return ok;
  }
}

/** A share link row: the URL as a link, and its copy button. */
export function shareLink(url, what, { id, copyId } = {}) {
  return h('div', { class: 'console-share' },
    h('a', { href: url, class: 'console-share__url', id, target: '_blank', rel: 'noopener' }, url,
      srOnly(' (opens in a new tab)')),
    copyButton(url, what, { id: copyId }));
}

// ---------------------------------------------------------------------------------------------
// Fields and their errors

/**
 * A labelled form field (base.css's .field: label, control, .field__error).
 * options: {id, label, type, value, hint, required, control (an element to use instead of an
 * input), attrs (more input attributes), optional (shows "(optional)")}.
 */
export function field({ id, label, type = 'text', value, hint, required, control, attrs = {}, optional, wide } = {}) {
  const input = control || h(type === 'textarea' ? 'textarea' : 'input', {
    id, name: id, type: type === 'textarea' ? null : type, required, value: value ?? '', ...attrs,
  });
  // A control may be a wrapper (an input with its unit): the labelled element is the one with `id`.
  const target = input.id === id ? input : (input.querySelector?.(`#${CSS.escape(id)}`) || input);
  if (!target.id) target.id = id;
  const hintEl = hint ? h('p', { class: 'field__hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) addDescribedBy(target, hintEl.id);
  return h('div', { class: `field${wide ? ' field--wide' : ''}` },
    h('label', { class: 'field__label', for: id }, label, optional ? h('span', { class: 'field__optional' }, ' (optional)') : null),
    hintEl,
    input,
    h('p', { class: 'field__error', id: `${id}-error`, hidden: true }));
}

/** A checkbox with its label after it. */
export function checkboxField({ id, label, checked, hint }) {
  const input = h('input', { type: 'checkbox', id, name: id, checked: !!checked });
  const hintEl = hint ? h('p', { class: 'field__hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) addDescribedBy(input, hintEl.id);
  return h('div', { class: 'field field--check' },
    h('div', { class: 'console-check' }, input, h('label', { for: id }, label)),
    hintEl,
    h('p', { class: 'field__error', id: `${id}-error`, hidden: true }));
}

export function addDescribedBy(el, id) {
  const ids = new Set((el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean));
  ids.add(id);
  el.setAttribute('aria-describedby', [...ids].join(' '));
}

function removeDescribedBy(el, id) {
  const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter((x) => x && x !== id);
  if (ids.length) el.setAttribute('aria-describedby', ids.join(' ')); else el.removeAttribute('aria-describedby');
}

/** The error paragraph of the control `inputId`: its `${id}-error`, made next to it if missing. */
function errorElementFor(input) {
  let el = document.getElementById(`${input.id}-error`);
  if (!el) {
    el = h('p', { class: 'field__error', id: `${input.id}-error`, hidden: true });
    (input.closest('.field') || input.parentElement).append(el);
  }
  return el;
}

/** Shows `message` next to the control `input` (aria-invalid, aria-describedby). */
export function setFieldError(input, message) {
  if (!input) return;
  const el = errorElementFor(input);
  el.textContent = message;
  el.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  addDescribedBy(input, el.id);
}

/** Removes the error of the control `input`. */
export function clearFieldError(input) {
  if (!input) return;
  input.removeAttribute('aria-invalid');
  const el = document.getElementById(`${input.id}-error`);
  if (el) {
    el.textContent = '';
    el.hidden = true;
    removeDescribedBy(input, el.id);
  }
}

/** Clears every field error inside `root`. */
export function clearErrors(root) {
  root.querySelectorAll('[aria-invalid="true"]').forEach((input) => clearFieldError(input));
}

/** Clears a field's error as soon as the person edits it. */
export function clearOnInput(root) {
  root.addEventListener('input', (event) => {
    if (event.target.getAttribute?.('aria-invalid') === 'true') clearFieldError(event.target);
  });
  root.addEventListener('change', (event) => {
    if (event.target.getAttribute?.('aria-invalid') === 'true') clearFieldError(event.target);
  });
}

/**
 * Puts a validation_failed problem's errors next to their fields. `fieldIds` maps the API's
 * field names to control ids. Returns the errors no control is there for, and focuses the
 * first invalid control.
 */
export function showFieldErrors(root, error, fieldIds) {
  const unplaced = [];
  let first = null;
  for (const { field: name, message } of error.errors || []) {
    const id = fieldIds[name];
    const input = id ? root.querySelector(`#${CSS.escape(id)}`) : null;
    if (input) {
      setFieldError(input, sentence(message));
      first ||= input;
    } else {
      unplaced.push({ field: name, message });
    }
  }
  first?.focus();
  return unplaced;
}

/** A message as a sentence: "must be 5 to 720" → "Must be 5 to 720." */
export function sentence(text) {
  if (!text) return '';
  // The API names fields in its own words ("must be after start_time"): say them in ours.
  const t = String(text).trim().replace(/\bstart_time\b/g, 'the start time').replace(/\bend_time\b/g, 'the end time');
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The text to show a person for a failed request. */
export function describeError(error, fallback = 'Something went wrong. Please try again.') {
  if (!error) return fallback;
  if (error.status === 0) return 'The server could not be reached. Check your connection and try again.';
  if (error.code === 'rate_limited') return 'Too many requests. Wait a moment and try again.';
  if (error.status >= 500) return 'The service is not available right now. Please try again shortly.';
  return error.message || fallback;
}

/** A list of errors no field was found for, as notice content. */
export function errorList(errors) {
  if (!errors.length) return null;
  return h('ul', { class: 'console-error-list' }, errors.map((e) => h('li', {}, e.field ? `${e.field}: ` : '', sentence(e.message))));
}

// ---------------------------------------------------------------------------------------------
// Dialog

/**
 * A modal confirmation (a native <dialog>, so focus stays inside and Escape closes it).
 * `onConfirm(dialogParts)` runs with the confirm button busy; if it throws, the message is
 * shown inside the dialog and it stays open. Resolves true when confirmed and done.
 */
export function confirmDialog({ title, message, confirmLabel, busyLabel = 'Working…', cancelLabel = 'Keep it', danger = false, body = null, onConfirm, id = 'console-dialog' }) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const headingId = `${id}-title`;
    const errorSlot = noticeSlot(`${id}-notice`);
    const confirmBtn = button(confirmLabel, { variant: danger ? 'danger' : 'primary', type: 'submit', id: `${id}-confirm` });
    const cancelBtn = button(cancelLabel, { variant: 'quiet', id: `${id}-cancel` });
    const form = h('form', { class: 'console-dialog__form', novalidate: true },
      h('h2', { id: headingId, class: 'console-dialog__title' }, title),
      message ? h('p', { class: 'console-dialog__message' }, message) : null,
      body,
      errorSlot.element,
      h('div', { class: 'console-actions' }, confirmBtn, cancelBtn));
    const dialog = h('dialog', { class: 'console-dialog card', id, 'aria-labelledby': headingId }, form);
    let done = false;
    const finish = (result) => {
      if (done) return;
      done = true;
      dialog.close();
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(result);
    };
    cancelBtn.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', (event) => {
      if (isBusy(confirmBtn)) { event.preventDefault(); return; }
      event.preventDefault();
      finish(false);
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (isBusy(confirmBtn)) return;
      errorSlot.clear();
      clearErrors(form);
      try {
        await whileBusy(confirmBtn, busyLabel, () => onConfirm?.({ form, errorSlot }));
        finish(true);
      } catch (error) {
        if (error?.name === 'AbortError' || error?.quiet) { finish(false); return; }
        errorSlot.show('error', describeError(error));
      }
    });
    // Inside the main landmark, so every text of the page is in one.
    (document.querySelector('main') || document.body).append(dialog);
    dialog.showModal();
    // First focus: the first form control of the body, else the safe choice (cancel).
    const firstControl = body?.querySelector?.('input, textarea, select');
    (firstControl || cancelBtn).focus();
  });
}

/** A data: URI image of a colour swatch (the CSP allows img-src data:, not style attributes). */
export function swatch(color, label = '') {
  const safe = /^#[0-9a-fA-F]{3,8}$/.test(color || '') ? color : '#64748b';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><circle cx="8" cy="8" r="7" fill="${safe}" stroke="rgba(0,0,0,0.25)"/></svg>`;
  return h('img', { class: 'console-swatch', src: `data:image/svg+xml,${encodeURIComponent(svg)}`, alt: label, width: 16, height: 16 });
}
