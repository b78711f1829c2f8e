// Profile and share links (/host/profile): GET/PATCH /api/users/me {name?, time_zone?, slug?}.

import {
  h, replace, button, loading, noticeSlot, whileBusy, isBusy, describeError, errorList, field, clearErrors,
  clearOnInput, showFieldErrors, setFieldError, shareLink, swatch,
} from './console-ui.js';
import { zoneField } from './console-zone.js';
import { allMeetingTypes, typeLink } from './console-types.js';

export async function render(ctx) {
  ctx.pageHeader('Profile and links', { lead: 'Your name, time zone and the links you share.' });
  const region = h('div', { class: 'console-region', 'aria-busy': 'true' }, loading('Loading your profile…'));
  ctx.main.append(region);

  const [user, types] = await Promise.all([
    ctx.request('/api/users/me'),
    allMeetingTypes(ctx.request).catch((e) => { if (e.quiet || e.name === 'AbortError') throw e; return null; }),
  ]);
  region.removeAttribute('aria-busy');
  ctx.setUser(user);
  let current = user;

  // ---- Links ---------------------------------------------------------------------------------
  const links = h('section', { class: 'card stack console-section', 'aria-labelledby': 'links-heading', id: 'share-links' });
  function drawLinks() {
    const active = (types || []).filter((t) => t.is_active);
    const inactive = (types || []).length - active.length;
    replace(links,
      h('h2', { id: 'links-heading' }, 'Your links'),
      h('p', { class: 'console-subtle' }, 'Your booking page lists every active meeting type; a meeting type’s own link goes straight to its calendar.'),
      h('h3', { class: 'console-label' }, 'Booking page'),
      shareLink(`${location.origin}/${current.slug}`, 'the link to your booking page', { id: 'share-page-link', copyId: 'share-page-copy' }),
      h('h3', { class: 'console-label' }, 'Meeting types'),
      types === null
        ? h('p', { class: 'console-subtle' }, 'Your meeting types could not be loaded.')
        : active.length === 0
          ? h('p', { class: 'console-subtle' }, 'No active meeting types. ', h('a', { href: '/host/types/new' }, 'Create one'), ' to get a link to share.')
          : h('ul', { class: 'console-share-list', id: 'share-type-links' }, active.map((t) => h('li', { class: 'console-share-list__item', dataset: { typeSlug: t.slug } },
            h('p', { class: 'console-share-list__name' }, swatch(t.color || '#2563eb'), ' ', t.name),
            shareLink(typeLink(current, t), `the link to ${t.name}`, { copyId: `share-type-${t.slug}-copy` })))),
      inactive > 0 ? h('p', { class: 'console-subtle' }, `${inactive} inactive meeting type${inactive === 1 ? '' : 's'} not shown: inactive types take no bookings.`) : null);
  }
  drawLinks();

  // ---- Profile form --------------------------------------------------------------------------
  const messages = noticeSlot('profile-notice');
  const zone = await zoneField({ id: 'profile-time-zone', label: 'Time zone', value: user.time_zone, hint: 'Your weekly hours keep their clock times when you change it.' });
  const saveButton = button('Save profile', { variant: 'primary', type: 'submit', id: 'profile-save' });
  const form = h('form', { id: 'profile-form', class: 'card stack console-form console-section', novalidate: true, 'aria-labelledby': 'profile-heading' },
    h('h2', { id: 'profile-heading' }, 'Profile'),
    messages.element,
    h('div', { class: 'console-readonly' }, h('span', { class: 'console-label' }, 'Email'), h('span', { id: 'profile-email' }, user.email)),
    field({ id: 'profile-name', label: 'Name', value: user.name, required: true, attrs: { autocomplete: 'name', maxlength: '200' }, hint: 'Invitees see it on your booking pages and in emails.' }),
    zone.element,
    field({
      id: 'profile-slug', label: 'Link name', value: user.slug, required: true,
      attrs: { autocapitalize: 'off', spellcheck: 'false', maxlength: '64', pattern: '[a-z0-9-]{1,64}' },
      hint: 'Lower-case letters, digits and hyphens. Changing it changes every link you have shared.',
    }),
    h('div', { class: 'console-actions' }, saveButton));
  clearOnInput(form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (isBusy(saveButton)) return;
    messages.clear();
    clearErrors(form);
    const name = form.querySelector('#profile-name').value.trim();
    const slug = form.querySelector('#profile-slug').value.trim();
    const timeZone = zone.value;
    const body = {};
    if (name !== current.name) body.name = name;
    if (timeZone !== current.time_zone) body.time_zone = timeZone;
    if (slug !== current.slug) body.slug = slug;
    if (Object.keys(body).length === 0) {
      messages.show('info', 'Nothing to save: no changes.');
      return;
    }
    await whileBusy(saveButton, 'Saving…', async () => {
      try {
        const updated = await ctx.request('/api/users/me', { method: 'PATCH', body });
        current = updated;
        ctx.setUser(updated);
        ctx.user = updated;
        drawLinks();
        if (body.slug && updated.slug !== body.slug) {
          const slugInput = form.querySelector('#profile-slug');
          slugInput.value = updated.slug;
          messages.show('warning', 'Saved, except the link name: this server cannot change it yet.');
        } else {
          messages.show('success', body.slug ? 'Profile saved. Your links have changed: share the new ones.' : 'Profile saved.');
        }
      } catch (error) {
        if (error.name === 'AbortError' || error.quiet) return;
        if (error.code === 'validation_failed') {
          const rest = showFieldErrors(form, error, { name: 'profile-name', time_zone: 'profile-time-zone', slug: 'profile-slug' });
          messages.show('error', rest.length ? describeError(error) : 'Please fix the marked fields.', errorList(rest));
        } else if (error.code === 'conflict') {
          const slugInput = form.querySelector('#profile-slug');
          setFieldError(slugInput, 'This link name is taken. Choose another one.');
          slugInput.focus();
        } else {
          messages.show('error', describeError(error));
        }
      }
    });
  });

  region.replaceChildren(h('div', { class: 'console-columns' }, form, links));
}
