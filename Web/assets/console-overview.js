// The overview (/host/): what is next, the share link, and what is left to set up.

import { h, button, loading, notice, whileBusy, describeError, shareLink, swatch } from './console-ui.js';
import { formatShortDay, formatTimeRange, nowInstant } from './console-time.js';
import { allMeetingTypes } from './console-types.js';
import { authorize, PROVIDERS } from './console-calendars.js';

export async function render(ctx) {
  const firstName = (ctx.user.name || '').split(/\s+/)[0];
  ctx.pageHeader('Overview', { lead: firstName ? `Welcome, ${firstName}.` : null, documentTitle: 'Overview' });
  const region = h('div', { class: 'console-region', 'aria-busy': 'true' }, loading('Loading your overview…'));
  ctx.main.append(region);

  const quietly = (promise) => promise.catch((error) => {
    if (error.quiet || error.name === 'AbortError') throw error;
    return { failed: error };
  });
  const [rules, types, integrations, upcoming] = await Promise.all([
    quietly(ctx.request('/api/availability/rules')),
    quietly(allMeetingTypes(ctx.request)),
    quietly(ctx.request('/api/integrations')),
    quietly(ctx.request(`/api/bookings?status=confirmed&from=${encodeURIComponent(nowInstant())}&limit=5`)),
  ]);
  region.removeAttribute('aria-busy');
  const zone = ctx.user.time_zone;
  const typeList = Array.isArray(types) ? types : [];
  const typeById = new Map(typeList.map((t) => [t.id, t]));

  const parts = [];

  // Calendars that stopped syncing come first: people could book over real commitments.
  if (!integrations.failed) {
    for (const integration of integrations.data.filter((i) => i.status === 'needs_reauth')) {
      const name = PROVIDERS[integration.provider] || integration.provider;
      const reconnect = button('Reconnect', { variant: 'primary', small: true, id: `overview-reauth-${integration.id}` });
      reconnect.addEventListener('click', () => {
        if (integration.provider === 'caldav') { ctx.navigate('/host/calendars'); return; }
        whileBusy(reconnect, 'Opening…', () => authorize(ctx, integration.provider).catch((error) => {
          if (error.quiet || error.name === 'AbortError') return;
          reconnect.after(h('span', { class: 'console-inline-error', role: 'alert' }, describeError(error)));
        }));
      });
      parts.push(notice('warning',
        h('p', {}, h('strong', {}, `${name} needs reconnecting. `), `Busy times from ${integration.account || integration.calendar_id} may be out of date.`),
        h('div', { class: 'console-actions' }, reconnect, h('a', { href: '/host/calendars' }, 'Calendar connections'))));
    }
  }

  // ---- Next meetings -------------------------------------------------------------------------
  let nextCard;
  if (upcoming.failed) {
    nextCard = notice('error', 'Your upcoming bookings could not be loaded. ', describeError(upcoming.failed));
  } else if (upcoming.data.length === 0) {
    nextCard = h('p', { class: 'console-empty' }, 'No upcoming meetings yet.');
  } else {
    nextCard = h('ul', { class: 'console-next', id: 'overview-upcoming' }, upcoming.data.map((b) => {
      const type = typeById.get(b.meeting_type_id);
      return h('li', { class: 'console-next__item', dataset: { bookingId: b.id } },
        h('p', { class: 'console-next__when' }, formatShortDay(b.start_time, zone), h('br'), formatTimeRange(b.start_time, b.end_time, zone)),
        h('p', { class: 'console-next__what' }, swatch(type?.color || '#64748b'), ' ', h('strong', {}, b.invitee_name), h('br'),
          h('span', { class: 'console-subtle' }, type ? type.name : 'Meeting')));
    }));
  }
  parts.push(h('section', { class: 'card stack console-section console-overview__next', 'aria-labelledby': 'overview-next-heading' },
    h('div', { class: 'console-section__head' },
      h('h2', { id: 'overview-next-heading' }, 'Next meetings'),
      h('a', { href: '/host/bookings' }, 'All bookings')),
    nextCard));

  // ---- Share -----------------------------------------------------------------------------------
  parts.push(h('section', { class: 'card stack console-section', 'aria-labelledby': 'overview-share-heading' },
    h('h2', { id: 'overview-share-heading' }, 'Your booking page'),
    h('p', { class: 'console-subtle' }, 'Share it, and people pick one of your meeting types and a time.'),
    shareLink(`${location.origin}/${ctx.user.slug}`, 'the link to your booking page', { id: 'overview-share-link', copyId: 'overview-share-copy' }),
    h('p', {}, h('a', { href: '/host/profile' }, 'Links to each meeting type'))));

  // ---- Setup ---------------------------------------------------------------------------------
  const hasHours = !rules.failed && rules.rules.length > 0;
  const hasType = typeList.some((t) => t.is_active);
  const hasCalendar = !integrations.failed && integrations.data.length > 0;
  const step = (done, title, text, href, linkText) => h('li', { class: `console-step${done ? ' console-step--done' : ''}` },
    h('span', { class: 'console-step__mark', 'aria-hidden': 'true' }, done ? '✓' : ''),
    h('div', {},
      h('p', { class: 'console-step__title' }, title, h('span', { class: 'visually-hidden' }, done ? ' (done)' : ' (to do)')),
      h('p', { class: 'console-subtle' }, text, ' ', h('a', { href }, linkText))));
  const setup = (h('section', { class: 'card stack console-section', 'aria-labelledby': 'overview-setup-heading' },
    h('h2', { id: 'overview-setup-heading' }, hasHours && hasType ? 'Your setup' : 'Get ready to take bookings'),
    h('ol', { class: 'console-steps' },
      step(hasHours, 'Weekly hours', hasHours ? 'People can book you in your weekly hours.' : 'Nobody can book you until you set the hours you are available.', '/host/hours', hasHours ? 'Change hours' : 'Set your hours'),
      step(hasType, 'A meeting type', hasType ? `${typeList.filter((t) => t.is_active).length} active.` : 'Create what people book, such as a 30-minute call.', hasType ? '/host/types' : '/host/types/new', hasType ? 'Meeting types' : 'Create a meeting type'),
      step(hasCalendar, 'A connected calendar (optional)', hasCalendar ? 'Your busy times are kept free.' : 'Keep your other commitments free of bookings.', '/host/calendars', hasCalendar ? 'Calendars' : 'Connect a calendar'))));
  // Until the host can be booked at all, what is left to do comes first.
  if (hasHours && hasType) {
    parts.push(setup);
  } else {
    const firstCard = parts.findIndex((p) => p.tagName === 'SECTION');
    parts.splice(firstCard, 0, setup);
    parts.find((p) => p.classList.contains('console-overview__next'))?.classList.remove('console-overview__next');
  }

  region.replaceChildren(h('div', { class: 'console-overview' }, parts));
}
