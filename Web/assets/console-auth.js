// Logging in (/host/login) and creating an account (/host/register).

import { api } from './api.js';
import {
  h, field, button, whileBusy, isBusy, noticeSlot, showFieldErrors, clearErrors, clearOnInput,
  setFieldError, describeError, errorList, sentence,
} from './console-ui.js';
import { zoneField } from './console-zone.js';
import { browserZone } from './console-time.js';

function authLayout(ctx, title, lead) {
  ctx.main.classList.add('console-auth');
  ctx.pageHeader(title, { lead });
}

export const login = {
  async render(ctx) {
    authLayout(ctx, 'Log in', 'Manage your hours, meeting types and bookings.');
    const messages = noticeSlot('login-notice');
    const submit = button('Log in', { variant: 'primary', type: 'submit', id: 'login-submit' });
    const form = h('form', { id: 'login-form', class: 'card stack console-form console-auth__card', novalidate: true, 'aria-label': 'Log in' },
      messages.element,
      field({ id: 'login-email', label: 'Email', type: 'email', required: true, attrs: { autocomplete: 'email', autocapitalize: 'off', spellcheck: 'false' } }),
      field({ id: 'login-password', label: 'Password', type: 'password', required: true, attrs: { autocomplete: 'current-password' } }),
      h('div', { class: 'console-actions' }, submit));
    clearOnInput(form);
    ctx.main.append(form,
      h('p', { class: 'console-auth__switch' }, 'New to Rendezvous? ', h('a', { href: '/host/register', id: 'to-register' }, 'Create an account')));

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (isBusy(submit)) return;
      messages.clear();
      clearErrors(form);
      const email = form.querySelector('#login-email');
      const password = form.querySelector('#login-password');
      let missing = false;
      if (!password.value) { setFieldError(password, 'Enter your password.'); missing = true; password.focus(); }
      if (!email.value.trim()) { setFieldError(email, 'Enter your email address.'); missing = true; email.focus(); }
      if (missing) return;
      await whileBusy(submit, 'Logging in…', async () => {
        try {
          // Not ctx.request: a 401 here is a wrong password, not an ended session.
          const answer = await api('/api/auth/login', { method: 'POST', body: { email: email.value.trim(), password: password.value }, signal: ctx.signal });
          ctx.signIn(answer);
        } catch (error) {
          if (error.name === 'AbortError') return;
          if (error.status === 401) {
            messages.show('error', 'The email or the password is wrong.');
            password.select();
            password.focus();
          } else if (error.code === 'validation_failed') {
            const rest = showFieldErrors(form, error, { email: 'login-email', password: 'login-password' });
            if (rest.length) messages.show('error', describeError(error), errorList(rest));
          } else {
            messages.show('error', describeError(error));
          }
        }
      });
    });
  },
};

export const register = {
  async render(ctx) {
    authLayout(ctx, 'Create your account', 'Share a link, let people pick a time that suits you both.');
    const messages = noticeSlot('register-notice');
    const submit = button('Create account', { variant: 'primary', type: 'submit', id: 'register-submit' });
    const zone = await zoneField({ id: 'register-time-zone', label: 'Time zone', value: browserZone(), hint: 'Your weekly hours are in this zone.' });
    const slugPreview = h('span', { class: 'console-code' }, `${location.origin}/your-name`);
    const form = h('form', { id: 'register-form', class: 'card stack console-form console-auth__card', novalidate: true, 'aria-label': 'Create your account' },
      messages.element,
      field({ id: 'register-name', label: 'Your name', required: true, attrs: { autocomplete: 'name', maxlength: '200' }, hint: 'Invitees see it on your booking pages.' }),
      field({ id: 'register-email', label: 'Email', type: 'email', required: true, attrs: { autocomplete: 'email', autocapitalize: 'off', spellcheck: 'false' } }),
      field({ id: 'register-password', label: 'Password', type: 'password', required: true, attrs: { autocomplete: 'new-password', minlength: '8' }, hint: 'At least 8 characters.' }),
      zone.element,
      field({
        id: 'register-slug', label: 'Link name', optional: true,
        attrs: { autocapitalize: 'off', spellcheck: 'false', maxlength: '64', pattern: '[a-z0-9-]{1,64}', inputmode: 'url' },
        hint: h('span', {}, 'Lower-case letters, digits and hyphens. Your booking page: ', slugPreview, '. Left empty, one is made from your name.'),
      }),
      h('div', { class: 'console-actions' }, submit));
    clearOnInput(form);
    ctx.main.append(form,
      h('p', { class: 'console-auth__switch' }, 'Already have an account? ', h('a', { href: '/host/login', id: 'to-login' }, 'Log in')));

    const slugInput = form.querySelector('#register-slug');
    slugInput.addEventListener('input', () => {
      slugPreview.textContent = `${location.origin}/${slugInput.value.trim() || 'your-name'}`;
    });

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (isBusy(submit)) return;
      messages.clear();
      clearErrors(form);
      const value = (id) => form.querySelector(`#${id}`).value;
      const body = {
        email: value('register-email').trim(),
        password: value('register-password'),
        name: value('register-name').trim(),
        time_zone: zone.value,
      };
      const slug = value('register-slug').trim();
      if (slug) body.slug = slug;
      const ids = { name: 'register-name', email: 'register-email', password: 'register-password', time_zone: 'register-time-zone', slug: 'register-slug' };
      await whileBusy(submit, 'Creating your account…', async () => {
        let created = false;
        try {
          await api('/api/users', { method: 'POST', body, signal: ctx.signal });
          created = true;
          const answer = await api('/api/auth/login', { method: 'POST', body: { email: body.email, password: body.password }, signal: ctx.signal });
          ctx.signIn(answer, 'Your account is ready. Set your weekly hours and create a meeting type to start taking bookings.');
        } catch (error) {
          if (error.name === 'AbortError') return;
          if (created) {
            // The account exists; only the automatic login failed.
            ctx.navigate('/host/login', { replace: true, flash: { kind: 'info', text: 'Your account was created. Log in to continue.' } });
            return;
          }
          if (error.code === 'validation_failed') {
            const rest = showFieldErrors(form, error, ids);
            messages.show('error', rest.length ? describeError(error) : 'Please correct the fields marked below.', errorList(rest));
          } else if (error.code === 'conflict') {
            // The problem says which one is taken: the link name or the email.
            const target = /slug|link/i.test(error.message) ? 'register-slug' : 'register-email';
            const input = form.querySelector(`#${target}`);
            setFieldError(input, target === 'register-slug'
              ? 'This link name is taken. Choose another one.'
              : `${sentence(error.message)} Log in instead, or use another email.`);
            input.focus();
          } else {
            messages.show('error', describeError(error));
          }
        }
      });
    });
  },
};
