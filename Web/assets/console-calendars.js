// Calendar connections (/host/calendars): GET /api/integrations; Google and Microsoft through
// POST /api/integrations/{provider}/authorize (the provider returns the browser to
// /host/calendars?connected=… or ?error=…); CalDAV with POST /api/integrations/caldav; sync now
// and disconnect.

import {
  h, button, loading, noticeSlot, notice, whileBusy, isBusy, describeError, errorList, announce,
  field, clearErrors, clearOnInput, showFieldErrors, confirmDialog, addDescribedBy,
} from './console-ui.js';
import { formatDateTime, relative } from './console-time.js';

export const PROVIDERS = {
  google: 'Google Calendar',
  microsoft: 'Microsoft Outlook',
  caldav: 'CalDAV calendar',
};

const STATUS = {
  active: { label: 'Connected', badge: 'console-badge--ok' },
  needs_reauth: { label: 'Needs reconnecting', badge: 'console-badge--warning' },
  error: { label: 'Sync error', badge: 'console-badge--error' },
};

// Providers the server said it has no configuration for (503): their buttons stay disabled.
const unconfigured = new Map();

// The callback sends the browser back with `?error={problem code}&provider={provider}`.
const CALLBACK_ERRORS = {
  forbidden: (name) => `${name} did not grant access, so nothing was connected.`,
  access_denied: (name) => `${name} did not grant access, so nothing was connected.`,
  validation_failed: () => 'The connection request expired or was already used. Please start again.',
  unavailable: (name) => `${name} could not be reached, or is not set up on this server. Please try again later.`,
  conflict: (name) => `This ${name} calendar is already connected.`,
};

/** Starts connecting Google or Microsoft: asks the API for the provider's URL and goes there. */
export async function authorize(ctx, provider) {
  const answer = await ctx.request(`/api/integrations/${provider}/authorize`, { method: 'POST' });
  const url = new URL(answer.authorization_url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('The server gave an address that is not a web page.');
  location.assign(url.href);
  // The page is leaving: keep the button busy until it does.
  await new Promise(() => {});
}

export async function render(ctx) {
  ctx.pageHeader('Calendar connections', {
    lead: 'Busy times in your connected calendars are kept free of bookings, and new bookings are added to them.',
  });

  // Back from a provider: say how it went, then drop the query so a reload does not repeat it.
  const connected = ctx.query.get('connected');
  const callbackError = ctx.query.get('error');
  const pageMessages = noticeSlot('calendars-notice');
  ctx.main.append(pageMessages.element);
  if (connected) {
    pageMessages.show('success', `${PROVIDERS[connected] || 'Your calendar'} is connected. Its busy times now block your booking slots.`);
  } else if (callbackError) {
    const name = PROVIDERS[ctx.query.get('provider')] || 'The calendar provider';
    const description = ctx.query.get('error_description');
    const explain = CALLBACK_ERRORS[callbackError]?.(name) || description || `The connection failed (${callbackError}).`;
    pageMessages.show('error', h('strong', {}, 'The calendar was not connected. '), explain);
  }
  if (connected || callbackError) history.replaceState(null, '', '/host/calendars');

  const region = h('div', { class: 'console-region', 'aria-busy': 'true' }, loading('Loading your calendars…'));
  ctx.main.append(region);
  const first = await ctx.request('/api/integrations');
  region.removeAttribute('aria-busy');

  let integrations = first.data;
  const listMessages = noticeSlot('calendar-list-notice');
  const reauthBox = h('div', { id: 'calendars-reauth' });
  const listEl = h('ul', { class: 'console-calendars', id: 'calendar-list', 'aria-labelledby': 'calendars-connected-heading' });
  const empty = h('p', { class: 'console-empty', id: 'calendars-empty' }, 'No calendar is connected yet. Connect one below so your bookings never clash with your other commitments.');

  function draw() {
    listEl.replaceChildren(...integrations.map(card));
    empty.hidden = integrations.length > 0;
    listEl.hidden = integrations.length === 0;
    const stale = integrations.filter((i) => i.status === 'needs_reauth');
    reauthBox.replaceChildren(...stale.map((i) => notice('warning',
      h('p', { class: 'console-notice__title' }, h('strong', {}, `${PROVIDERS[i.provider] || i.provider} needs reconnecting.`)),
      h('p', {}, `The connection to ${i.account || i.calendar_id} stopped working, so its busy times may be out of date and people could book over them.`),
      reconnectButton(i, `calendar-reauth-${i.id}`))));
  }

  function reconnectButton(integration, id) {
    const btn = button('Reconnect', { variant: 'primary', small: true, id, ariaLabel: `Reconnect ${PROVIDERS[integration.provider] || integration.provider} (${integration.account || integration.calendar_id})` });
    btn.dataset.action = 'reconnect';
    btn.addEventListener('click', () => {
      if (integration.provider === 'caldav') {
        const calendarUrl = caldavForm.querySelector('#caldav-calendar-url');
        if (/^https?:\/\//.test(integration.calendar_id || '')) calendarUrl.value = integration.calendar_id;
        caldavMessages.show('info', 'Enter the CalDAV account details again to reconnect, then disconnect the old connection.');
        caldavForm.scrollIntoView({ block: 'start' });
        caldavForm.querySelector('#caldav-server-url').focus();
        return;
      }
      whileBusy(btn, 'Opening…', () => authorize(ctx, integration.provider).catch((error) => {
        if (error.name === 'AbortError' || error.quiet) return;
        listMessages.show('error', describeError(error));
      }));
    });
    return btn;
  }

  function card(integration) {
    const name = PROVIDERS[integration.provider] || integration.provider;
    const status = STATUS[integration.status] || { label: integration.status, badge: 'console-badge--muted' };
    const who = integration.account || integration.calendar_id;
    const headingId = `calendar-${integration.id}-name`;
    const syncButton = button('Sync now', { variant: 'quiet', small: true, ariaLabel: `Sync ${name} (${who}) now` });
    syncButton.dataset.action = 'sync';
    syncButton.addEventListener('click', () => whileBusy(syncButton, 'Syncing…', async () => {
      listMessages.clear();
      try {
        const updated = await ctx.request(`/api/integrations/${integration.id}/sync`, { method: 'POST' });
        replace(updated || integration, 'sync');
        announce(`Sync of ${name} requested. It runs in the background.`);
        // A sync runs behind the 202: look again shortly for its result.
        setTimeout(() => refresh().catch(() => {}), 3000);
      } catch (error) {
        if (error.name === 'AbortError' || error.quiet) return;
        if (error.status === 409) {
          replace({ ...integration, status: 'needs_reauth' }, 'sync');
          listMessages.show('error', `${name} needs a new authorization before it can sync. Use Reconnect.`);
        } else if (error.status === 404) {
          integrations = integrations.filter((i) => i.id !== integration.id);
          draw();
          listMessages.show('info', `${name} was already disconnected.`);
        } else {
          listMessages.show('error', describeError(error));
        }
      }
    }));
    const disconnect = button('Disconnect', { variant: 'quiet', small: true, ariaLabel: `Disconnect ${name} (${who})` });
    disconnect.dataset.action = 'disconnect';
    disconnect.classList.add('console-danger-text');
    disconnect.addEventListener('click', async () => {
      const done = await confirmDialog({
        id: 'disconnect-dialog',
        title: `Disconnect ${name}?`,
        message: `${who}: its busy times will no longer block your slots, and new bookings will not be added to it.`,
        confirmLabel: 'Disconnect',
        busyLabel: 'Disconnecting…',
        cancelLabel: 'Keep it',
        danger: true,
        onConfirm: async () => {
          try {
            await ctx.request(`/api/integrations/${integration.id}`, { method: 'DELETE' });
          } catch (error) {
            if (error.status !== 404) throw error;
          }
        },
      });
      if (!done) return;
      integrations = integrations.filter((i) => i.id !== integration.id);
      draw();
      listMessages.show('success', `${name} (${who}) is disconnected.`);
      (listEl.querySelector('button') || document.getElementById('connect-google')).focus();
    });

    return h('li', { class: `card console-calendar console-calendar--${integration.status}`, dataset: { integrationId: integration.id, provider: integration.provider, status: integration.status }, 'aria-labelledby': headingId },
      h('div', { class: 'console-calendar__head' },
        h('span', { class: `console-provider console-provider--${integration.provider}`, 'aria-hidden': 'true' }, (name[0] || '?').toUpperCase()),
        h('div', { class: 'console-calendar__names' },
          h('h3', { class: 'console-calendar__name', id: headingId }, name),
          h('p', { class: 'console-calendar__account' }, who)),
        h('span', { class: `console-badge ${status.badge}` }, status.label)),
      h('p', { class: 'console-calendar__meta' }, integration.last_synced_at
        ? h('span', {}, 'Last synced ', h('time', { datetime: integration.last_synced_at, title: formatDateTime(integration.last_synced_at, ctx.user.time_zone) }, relative(integration.last_synced_at)),
          ` (${formatDateTime(integration.last_synced_at, ctx.user.time_zone)})`)
        : 'Not synced yet.'),
      integration.last_sync_error && integration.status !== 'active'
        ? h('p', { class: 'console-calendar__error' }, `Last error: ${integration.last_sync_error}`) : null,
      h('div', { class: 'console-list__actions' },
        integration.status === 'needs_reauth' ? reconnectButton(integration) : syncButton,
        disconnect));
  }

  function replace(updated, focusAction) {
    integrations = integrations.map((i) => (i.id === updated.id ? updated : i));
    draw();
    if (focusAction) listEl.querySelector(`[data-integration-id="${updated.id}"] [data-action="${focusAction}"]`)?.focus();
  }

  async function refresh() {
    if (!ctx.isCurrent()) return;
    const page = await ctx.request('/api/integrations');
    if (!ctx.isCurrent()) return;
    const focusedCard = document.activeElement?.closest?.('[data-integration-id]');
    const focusId = focusedCard?.dataset.integrationId;
    const focusAction = document.activeElement?.dataset?.action;
    integrations = page.data;
    draw();
    if (focusId && focusAction) listEl.querySelector(`[data-integration-id="${focusId}"] [data-action="${focusAction}"]`)?.focus();
  }

  // ---- Connect -----------------------------------------------------------------------------
  function providerButton(provider) {
    const label = `Connect ${PROVIDERS[provider]}`;
    const btn = h('button', { type: 'button', class: `button console-connect console-connect--${provider}`, id: `connect-${provider}` },
      h('span', { class: `console-provider console-provider--${provider}`, 'aria-hidden': 'true' }, PROVIDERS[provider][0]), label);
    const message = h('p', { class: 'field__hint console-connect__message', id: `connect-${provider}-message`, tabindex: '-1', hidden: true });
    const markUnconfigured = (text) => {
      btn.disabled = true;
      message.textContent = text;
      message.hidden = false;
      addDescribedBy(btn, message.id);
    };
    if (unconfigured.has(provider)) markUnconfigured(unconfigured.get(provider));
    btn.addEventListener('click', async () => {
      let refused = null;
      await whileBusy(btn, `Opening ${PROVIDERS[provider]}…`, async () => {
        message.hidden = true;
        message.classList.remove('console-connect__message--error');
        try {
          await authorize(ctx, provider);
        } catch (error) {
          if (error.name === 'AbortError' || error.quiet) return;
          if (error.status === 503) {
            refused = `${PROVIDERS[provider]} is not set up on this server, so it cannot be connected here.`;
          } else {
            message.textContent = describeError(error);
            message.hidden = false;
            message.classList.add('console-connect__message--error');
          }
        }
      });
      if (refused) {
        unconfigured.set(provider, refused);
        markUnconfigured(refused);
        // The button is disabled now: focus its explanation rather than losing it.
        message.focus();
      }
    });
    return h('div', { class: 'console-connect-item' }, btn, message);
  }

  const caldavMessages = noticeSlot('caldav-notice');
  const caldavSubmit = button('Connect CalDAV calendar', { variant: 'primary', type: 'submit', id: 'caldav-submit' });
  const caldavForm = h('form', { id: 'caldav-form', class: 'stack console-form', novalidate: true, 'aria-labelledby': 'caldav-heading' },
    h('h3', { id: 'caldav-heading' }, 'CalDAV (iCloud, Fastmail, Nextcloud and others)'),
    caldavMessages.element,
    field({ id: 'caldav-server-url', label: 'Server URL', type: 'url', required: true, attrs: { autocomplete: 'url', placeholder: 'https://caldav.example.com', spellcheck: 'false' } }),
    h('div', { class: 'console-grid' },
      field({ id: 'caldav-username', label: 'Username', required: true, attrs: { autocomplete: 'username', autocapitalize: 'off', spellcheck: 'false' } }),
      field({ id: 'caldav-password', label: 'Password', type: 'password', required: true, attrs: { autocomplete: 'current-password' }, hint: 'An app-specific password where your provider has them. It is stored encrypted.' })),
    field({ id: 'caldav-calendar-url', label: 'Calendar URL', type: 'url', optional: true, attrs: { spellcheck: 'false' }, hint: 'Left empty, your default calendar is found on the server.' }),
    h('div', { class: 'console-actions' }, caldavSubmit));
  clearOnInput(caldavForm);

  caldavForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (isBusy(caldavSubmit)) return;
    caldavMessages.clear();
    clearErrors(caldavForm);
    const value = (id) => caldavForm.querySelector(`#${id}`).value;
    const body = { server_url: value('caldav-server-url').trim(), username: value('caldav-username').trim(), password: value('caldav-password') };
    const calendarUrl = value('caldav-calendar-url').trim();
    if (calendarUrl) body.calendar_url = calendarUrl;
    await whileBusy(caldavSubmit, 'Connecting…', async () => {
      try {
        const created = await ctx.request('/api/integrations/caldav', { method: 'POST', body });
        integrations = integrations.filter((i) => i.id !== created.id).concat([created]);
        draw();
        caldavForm.reset();
        caldavMessages.show('success', `Connected ${created.account || created.calendar_id}.`);
      } catch (error) {
        if (error.name === 'AbortError' || error.quiet) return;
        if (error.code === 'validation_failed') {
          const rest = showFieldErrors(caldavForm, error, {
            server_url: 'caldav-server-url', username: 'caldav-username', password: 'caldav-password', calendar_url: 'caldav-calendar-url',
          });
          caldavMessages.show('error', rest.length ? describeError(error) : 'Please fix the marked fields.', errorList(rest));
        } else {
          caldavMessages.show('error', describeError(error));
        }
      }
    });
  });

  draw();
  region.replaceChildren(
    reauthBox,
    h('section', { class: 'card stack console-section', 'aria-labelledby': 'calendars-connected-heading' },
      h('h2', { id: 'calendars-connected-heading' }, 'Connected calendars'),
      listMessages.element, empty, listEl),
    h('section', { class: 'card stack console-section', 'aria-labelledby': 'calendars-connect-heading' },
      h('h2', { id: 'calendars-connect-heading' }, 'Connect a calendar'),
      h('div', { class: 'console-connect-list' }, providerButton('google'), providerButton('microsoft')),
      h('hr', { class: 'console-rule' }),
      caldavForm));
}
