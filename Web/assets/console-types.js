// Meeting types: the list (/host/types) and the editor (/host/types/new, /host/types/{id}).
// GET/POST /api/meeting-types, GET/PATCH/DELETE /api/meeting-types/{id}.

import {
  h, button, loading, noticeSlot, notice, whileBusy, isBusy, describeError, errorList, announce,
  field, checkboxField, setFieldError, clearErrors, clearOnInput, showFieldErrors, shareLink,
  confirmDialog, swatch, srOnly,
} from './console-ui.js';
import { formatMinutes } from './console-time.js';

const DEFAULT_COLOR = '#2563eb';

/** Every meeting type of the host (all pages). */
export async function allMeetingTypes(request) {
  let types = [];
  let cursor = null;
  do {
    const page = await request(`/api/meeting-types?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    types = types.concat(page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return types;
}

export function typeLink(user, type) {
  return `${location.origin}/${user.slug}/${type.slug}`;
}

function summary(type) {
  const parts = [formatMinutes(type.duration_minutes)];
  if (type.buffer_before_minutes || type.buffer_after_minutes) {
    parts.push(`buffers ${type.buffer_before_minutes} / ${type.buffer_after_minutes} min`);
  }
  parts.push(`starts every ${type.slot_interval_minutes} min`);
  if (type.max_bookings_per_day) parts.push(`at most ${type.max_bookings_per_day} a day`);
  return parts.join(' · ');
}

// =============================================================================================
// The list

export const list = {
  async render(ctx) {
    ctx.pageHeader('Meeting types', {
      lead: 'The kinds of meetings people can book with you, each with its own link.',
      actions: h('a', { class: 'button button--primary', href: '/host/types/new', id: 'types-new' }, 'New meeting type'),
    });
    const region = h('div', { class: 'console-region', 'aria-busy': 'true' }, loading('Loading your meeting types…'));
    ctx.main.append(region);
    let types = await allMeetingTypes(ctx.request);
    region.removeAttribute('aria-busy');

    const messages = noticeSlot('types-notice');
    const listEl = h('ul', { class: 'console-types', id: 'types-list', 'aria-label': 'Your meeting types' });

    const draw = () => {
      listEl.replaceChildren(...types.map((type) => card(type)));
      if (types.length === 0) {
        listEl.replaceWith(empty);
      }
    };
    const empty = h('div', { class: 'card console-empty-state', id: 'types-empty' },
      h('h2', {}, 'No meeting types yet'),
      h('p', {}, 'Create one (a 30-minute call, say) and share its link.'),
      h('a', { class: 'button button--primary', href: '/host/types/new' }, 'Create a meeting type'));

    function card(type) {
      const headingId = `type-${type.id}-name`;
      const toggle = button(type.is_active ? 'Deactivate' : 'Activate', {
        variant: 'quiet', small: true, ariaLabel: `${type.is_active ? 'Deactivate' : 'Activate'} ${type.name}`,
      });
      toggle.dataset.action = 'toggle';
      toggle.addEventListener('click', () => whileBusy(toggle, type.is_active ? 'Deactivating…' : 'Activating…', async () => {
        messages.clear();
        try {
          const updated = await ctx.request(`/api/meeting-types/${type.id}`, { method: 'PATCH', body: { is_active: !type.is_active } });
          types = types.map((t) => (t.id === type.id ? updated : t));
          const fresh = card(updated);
          item.replaceWith(fresh);
          fresh.querySelector('[data-action="toggle"]').focus();
          announce(updated.is_active ? `${updated.name} is active: people can book it.` : `${updated.name} is inactive: its link no longer takes bookings.`);
        } catch (error) {
          if (error.name === 'AbortError' || error.quiet) return;
          messages.show('error', describeError(error));
        }
      }));
      const del = button('Delete', { variant: 'quiet', small: true, ariaLabel: `Delete ${type.name}` });
      del.dataset.action = 'delete';
      del.classList.add('console-danger-text');
      del.addEventListener('click', async () => {
        const done = await confirmDelete(ctx, type);
        if (!done) return;
        const index = types.indexOf(type);
        types = types.filter((t) => t.id !== type.id);
        item.remove();
        if (types.length === 0) listEl.replaceWith(empty);
        messages.show('success', `“${type.name}” was deleted.`);
        const next = listEl.children[Math.min(index, listEl.children.length - 1)];
        (next?.querySelector('a') || document.getElementById('types-new')).focus();
      });
      const link = typeLink(ctx.user, type);
      const item = h('li', { class: `card console-type${type.is_active ? '' : ' console-type--inactive'}`, dataset: { typeId: type.id, typeSlug: type.slug }, 'aria-labelledby': headingId },
        h('div', { class: 'console-type__head' },
          swatch(type.color || DEFAULT_COLOR),
          h('h2', { class: 'console-type__name', id: headingId },
            h('a', { href: `/host/types/${type.id}` }, type.name, srOnly(' (edit)'))),
          h('span', { class: `console-badge ${type.is_active ? 'console-badge--ok' : 'console-badge--muted'}` }, type.is_active ? 'Active' : 'Inactive')),
        h('p', { class: 'console-type__meta' }, summary(type)),
        type.description ? h('p', { class: 'console-type__description' }, type.description) : null,
        type.is_active
          ? shareLink(link, `the link to ${type.name}`)
          : h('p', { class: 'console-subtle' }, 'Not bookable while inactive.'),
        h('div', { class: 'console-list__actions console-type__actions' },
          h('a', { class: 'button button--quiet button--small', href: `/host/types/${type.id}`, 'aria-label': `Edit ${type.name}` }, 'Edit'),
          toggle, del));
      return item;
    }

    region.replaceChildren(messages.element, listEl);
    draw();
  },
};

function confirmDelete(ctx, type) {
  return confirmDialog({
    id: 'type-delete-dialog',
    title: `Delete “${type.name}”?`,
    message: 'Its booking link stops working at once. Meetings already booked stay in your bookings. This cannot be undone.',
    confirmLabel: 'Delete meeting type',
    busyLabel: 'Deleting…',
    cancelLabel: 'Keep it',
    danger: true,
    onConfirm: async () => {
      try {
        await ctx.request(`/api/meeting-types/${type.id}`, { method: 'DELETE' });
      } catch (error) {
        if (error.status === 404) return; // Already gone: the same outcome.
        throw error;
      }
    },
  });
}

// =============================================================================================
// The editor

const FIELD_IDS = {
  name: 'type-name',
  slug: 'type-slug',
  description: 'type-description',
  color: 'type-color',
  is_active: 'type-active',
  duration_minutes: 'type-duration',
  slot_interval_minutes: 'type-interval',
  buffer_before_minutes: 'type-buffer-before',
  buffer_after_minutes: 'type-buffer-after',
  min_notice_minutes: 'type-min-notice',
  max_days_in_future: 'type-window',
  max_bookings_per_day: 'type-daily-cap',
};

const NUMBER_FIELDS = [
  ['duration_minutes', { required: true }],
  ['slot_interval_minutes', {}],
  ['buffer_before_minutes', {}],
  ['buffer_after_minutes', {}],
  ['min_notice_minutes', {}],
  ['max_days_in_future', {}],
  ['max_bookings_per_day', { nullable: true }],
];

function slugify(text) {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '');
}

function numberField(id, label, value, { hint, min, max, unit = 'minutes', optional } = {}) {
  const input = h('input', { id, name: id, type: 'number', inputmode: 'numeric', step: '1', min, max, value: value ?? '', class: 'console-number' });
  return field({
    id, label, hint, optional,
    control: h('div', { class: 'console-input-unit' }, input, h('span', { class: 'console-input-unit__unit', 'aria-hidden': 'true' }, unit)),
  });
}

export const editor = {
  async render(ctx) {
    const id = ctx.params[0];
    const creating = !id;
    ctx.pageHeader(creating ? 'New meeting type' : 'Edit meeting type', {
      lead: creating ? 'What people book: its length, its link and when it can be booked.' : null,
      actions: h('a', { href: '/host/types', class: 'button button--quiet', id: 'type-back' }, h('span', { 'aria-hidden': 'true' }, '← '), 'All meeting types'),
    });
    const region = h('div', { class: 'console-region', 'aria-busy': 'true' }, loading(creating ? 'Preparing the form…' : 'Loading the meeting type…'));
    ctx.main.append(region);

    let type = null;
    let supportsQuestions = false;
    try {
      if (creating) {
        // Questions are shown only where the API already has them (see the questions section).
        const first = await ctx.request('/api/meeting-types?limit=1');
        supportsQuestions = first.data.some((t) => Array.isArray(t.questions));
      } else {
        type = await ctx.request(`/api/meeting-types/${id}`);
        supportsQuestions = Array.isArray(type.questions);
      }
    } catch (error) {
      if (error.status === 404) {
        region.replaceChildren(notice('error', 'This meeting type does not exist (it may have been deleted).'),
          h('p', {}, h('a', { href: '/host/types' }, 'Back to your meeting types')));
        region.removeAttribute('aria-busy');
        return;
      }
      throw error;
    }
    region.removeAttribute('aria-busy');
    if (type) {
      ctx.main.querySelector('h1').textContent = `Edit “${type.name}”`;
      ctx.setTitle(`Edit ${type.name}`);
    }

    const t = type || {
      name: '', slug: '', description: '', color: DEFAULT_COLOR, is_active: true, duration_minutes: 30,
      slot_interval_minutes: 15, buffer_before_minutes: 0, buffer_after_minutes: 0, min_notice_minutes: 0,
      max_days_in_future: 60, max_bookings_per_day: null,
    };

    const messages = noticeSlot('type-notice');
    const saveButton = button(creating ? 'Create meeting type' : 'Save changes', { variant: 'primary', type: 'submit', id: 'type-save' });
    const slugPreview = h('span', { class: 'console-code', id: 'type-link-preview' }, `${location.origin}/${ctx.user.slug}/${t.slug || '…'}`);
    const colorInput = h('input', { type: 'color', id: 'type-color', name: 'type-color', value: t.color && /^#[0-9a-fA-F]{6}$/.test(t.color) ? t.color.toLowerCase() : DEFAULT_COLOR });
    let colorTouched = false;
    colorInput.addEventListener('input', () => { colorTouched = true; });

    const questions = supportsQuestions ? questionsEditor(type?.questions || []) : null;

    const form = h('form', { id: 'type-form', class: 'console-form stack', novalidate: true, 'aria-label': creating ? 'New meeting type' : `Edit ${t.name}` },
      messages.element,
      h('section', { class: 'card stack console-section', 'aria-labelledby': 'type-details-heading' },
        h('h2', { id: 'type-details-heading' }, 'Details'),
        field({ id: 'type-name', label: 'Name', value: t.name, required: true, attrs: { maxlength: '200', autocomplete: 'off' }, hint: 'For example “30-minute intro call”. Invitees see it.' }),
        field({
          id: 'type-slug', label: 'Link name', value: t.slug, required: true,
          attrs: { maxlength: '64', pattern: '[a-z0-9-]{1,64}', autocapitalize: 'off', spellcheck: 'false', autocomplete: 'off' },
          hint: h('span', {}, 'Lower-case letters, digits and hyphens. The booking link: ', slugPreview),
        }),
        field({ id: 'type-description', label: 'Description', type: 'textarea', value: t.description || '', optional: true, attrs: { rows: '3', maxlength: '2000' }, hint: 'Shown on the booking page.' }),
        h('div', { class: 'console-grid' },
          field({ id: 'type-color', label: 'Colour', control: colorInput, hint: 'Tells your meeting types apart.' }),
          h('div', { class: 'console-grid__cell' }, checkboxField({ id: 'type-active', label: 'Active: people can book it', checked: t.is_active })))),
      h('section', { class: 'card stack console-section', 'aria-labelledby': 'type-times-heading' },
        h('h2', { id: 'type-times-heading' }, 'Length and start times'),
        h('div', { class: 'console-grid console-grid--pairs' },
          numberField('type-duration', 'Duration', t.duration_minutes, { min: 5, max: 720, hint: '5 to 720 minutes.' }),
          numberField('type-interval', 'Start times every', t.slot_interval_minutes, { min: 5, max: 240, hint: 'The step between offered start times.' }),
          numberField('type-buffer-before', 'Buffer before', t.buffer_before_minutes, { min: 0, max: 240, hint: 'Free time kept before each meeting.' }),
          numberField('type-buffer-after', 'Buffer after', t.buffer_after_minutes, { min: 0, max: 240, hint: 'Free time kept after each meeting.' }))),
      h('section', { class: 'card stack console-section', 'aria-labelledby': 'type-limits-heading' },
        h('h2', { id: 'type-limits-heading' }, 'When it can be booked'),
        h('div', { class: 'console-grid' },
          numberField('type-min-notice', 'Minimum notice', t.min_notice_minutes, { min: 0, hint: 'No bookings sooner than this from now (240 = 4 hours).' }),
          numberField('type-window', 'Booking window', t.max_days_in_future, { min: 1, max: 365, unit: 'days', hint: 'How far ahead people can book (1 to 365 days).' }),
          numberField('type-daily-cap', 'Daily limit', t.max_bookings_per_day, { min: 1, unit: 'bookings', optional: true, hint: 'At most this many of these meetings a day. Empty: no limit.' }))),
      // QUESTIONS: the API has no questions yet. This section appears (and `questions` is sent)
      // only when the meeting type JSON carries a `questions` array:
      // [{id, label, kind: text|long_text|single_choice|multiple_choice|phone|email, required, options}].
      questions ? questions.element : null,
      h('div', { class: 'console-actions' },
        saveButton,
        h('a', { class: 'button button--quiet', href: '/host/types', id: 'type-cancel' }, 'Cancel'),
        creating ? null : h('span', { class: 'console-actions__spacer' }),
        creating ? null : deleteButton()));
    clearOnInput(form);
    region.replaceChildren(form);

    const nameInput = form.querySelector('#type-name');
    const slugInput = form.querySelector('#type-slug');
    // While creating, the link name follows the name until it is edited by hand.
    let slugTouched = !creating;
    nameInput.addEventListener('input', () => {
      if (slugTouched) return;
      slugInput.value = slugify(nameInput.value);
      slugPreview.textContent = `${location.origin}/${ctx.user.slug}/${slugInput.value || '…'}`;
    });
    slugInput.addEventListener('input', () => {
      slugTouched = true;
      slugPreview.textContent = `${location.origin}/${ctx.user.slug}/${slugInput.value.trim() || '…'}`;
    });

    function deleteButton() {
      const btn = button('Delete meeting type', { variant: 'danger', id: 'type-delete' });
      btn.addEventListener('click', async () => {
        if (await confirmDelete(ctx, type)) ctx.navigate('/host/types', { flash: { kind: 'success', text: `“${type.name}” was deleted.` } });
      });
      return btn;
    }

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (isBusy(saveButton)) return;
      messages.clear();
      clearErrors(form);
      questions?.clearErrors();

      const body = {
        name: nameInput.value.trim(),
        slug: slugInput.value.trim(),
        description: form.querySelector('#type-description').value.trim() || null,
        is_active: form.querySelector('#type-active').checked,
      };
      if (creating || colorTouched || t.color) body.color = colorInput.value;
      let firstBad = null;
      for (const [name, { required, nullable }] of NUMBER_FIELDS) {
        const input = form.querySelector(`#${FIELD_IDS[name]}`);
        const raw = input.value.trim();
        if (input.validity.badInput) {
          setFieldError(input, 'Enter a whole number.');
          firstBad ||= input;
        } else if (raw === '') {
          if (required) { setFieldError(input, 'Enter a number of minutes.'); firstBad ||= input; } else if (nullable) body[name] = null;
          // Else: left out, so the server keeps (or defaults) it.
        } else {
          body[name] = Number(raw);
        }
      }
      if (!body.name) { setFieldError(nameInput, 'Enter a name.'); firstBad = nameInput; }
      if (!body.slug) { setFieldError(slugInput, 'Enter a link name.'); firstBad ||= slugInput; }
      if (creating && body.description === null) delete body.description;
      if (creating && body.max_bookings_per_day === null) delete body.max_bookings_per_day;
      if (questions) body.questions = questions.value();
      if (firstBad) {
        messages.show('error', 'Please fix the marked fields.');
        firstBad.focus();
        return;
      }

      await whileBusy(saveButton, creating ? 'Creating…' : 'Saving…', async () => {
        try {
          const saved = creating
            ? await ctx.request('/api/meeting-types', { method: 'POST', body })
            : await ctx.request(`/api/meeting-types/${id}`, { method: 'PATCH', body });
          ctx.navigate('/host/types', { flash: { kind: 'success', text: creating ? `“${saved.name}” was created. Share its link below.` : `“${saved.name}” was saved.` } });
        } catch (error) {
          if (error.name === 'AbortError' || error.quiet) return;
          if (error.code === 'validation_failed') {
            const rest = showFieldErrors(form, error, { ...FIELD_IDS, ...(questions?.fieldIds() || {}) });
            messages.show('error', rest.length === error.errors.length ? describeError(error) : 'Please fix the marked fields.', errorList(rest));
          } else if (error.code === 'conflict') {
            setFieldError(slugInput, 'You already have a meeting type with this link name. Choose another one.');
            slugInput.focus();
          } else if (error.status === 404) {
            messages.show('error', 'This meeting type no longer exists (it may have been deleted).');
          } else {
            messages.show('error', describeError(error));
          }
        }
      });
    });
  },
};

// ---------------------------------------------------------------------------------------------
// QUESTIONS (not in the API yet). Used only when a meeting type's JSON has a `questions`
// array; ids of questions the server gave are kept, new questions are sent without one.

const KINDS = [
  ['text', 'Short text'],
  ['long_text', 'Long text'],
  ['single_choice', 'One choice'],
  ['multiple_choice', 'Several choices'],
  ['phone', 'Phone number'],
  ['email', 'Email address'],
];

function questionsEditor(initial) {
  let items = initial.map((q) => ({ ...q, options: Array.isArray(q.options) ? q.options : [] }));
  const listEl = h('ol', { class: 'console-questions', id: 'type-questions' });
  const addButton = button('Add a question', { variant: 'quiet', small: true, id: 'type-question-add', onclick: () => {
    sync();
    items.push({ label: '', kind: 'text', required: false, options: [] });
    draw();
    listEl.querySelector(`#type-question-${items.length - 1}-label`)?.focus();
  } });
  const element = h('section', { class: 'card stack console-section', 'aria-labelledby': 'type-questions-heading' },
    h('h2', { id: 'type-questions-heading' }, 'Questions for invitees'),
    h('p', { class: 'console-subtle' }, 'Asked on the booking page; the answers come with each booking.'),
    listEl, addButton);

  function sync() {
    items = items.map((q, i) => ({
      ...q,
      label: listEl.querySelector(`#type-question-${i}-label`)?.value.trim() ?? q.label,
      kind: listEl.querySelector(`#type-question-${i}-kind`)?.value ?? q.kind,
      required: listEl.querySelector(`#type-question-${i}-required`)?.checked ?? q.required,
      options: (listEl.querySelector(`#type-question-${i}-options`)?.value ?? q.options.join('\n')).split('\n').map((s) => s.trim()).filter(Boolean),
    }));
  }

  function draw() {
    listEl.replaceChildren(...items.map((q, i) => {
      const kind = h('select', { id: `type-question-${i}-kind`, value: q.kind }, KINDS.map(([v, l]) => h('option', { value: v }, l)));
      const options = field({ id: `type-question-${i}-options`, label: 'Choices, one a line', type: 'textarea', value: q.options.join('\n'), attrs: { rows: '3' } });
      const showOptions = () => { options.hidden = !kind.value.endsWith('_choice'); };
      kind.addEventListener('change', showOptions);
      showOptions();
      const remove = button('Remove', { variant: 'quiet', small: true, ariaLabel: `Remove question ${i + 1}`, onclick: () => {
        sync();
        items.splice(i, 1);
        draw();
        (listEl.querySelector(`#type-question-${Math.min(i, items.length - 1)}-label`) || addButton).focus();
      } });
      return h('li', { class: 'console-question' },
        h('fieldset', { class: 'stack' },
          h('legend', {}, `Question ${i + 1}`),
          field({ id: `type-question-${i}-label`, label: 'Question', value: q.label, required: true }),
          field({ id: `type-question-${i}-kind`, label: 'Answer type', control: kind }),
          checkboxField({ id: `type-question-${i}-required`, label: 'Required', checked: q.required }),
          options,
          h('div', { class: 'console-actions' }, remove)));
    }));
  }
  draw();

  return {
    element,
    value() {
      sync();
      return items.map((q) => {
        const out = { label: q.label, kind: q.kind, required: !!q.required, options: q.kind.endsWith('_choice') ? q.options : [] };
        if (q.id) out.id = q.id;
        return out;
      });
    },
    fieldIds() {
      const ids = {};
      items.forEach((_, i) => {
        for (const part of ['label', 'kind', 'required', 'options']) ids[`questions[${i}].${part}`] = `type-question-${i}-${part}`;
      });
      return ids;
    },
    clearErrors() { clearErrors(element); },
  };
}
