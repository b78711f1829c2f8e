// The host console (/host and everything under it): one page, routed with history.pushState.
//
// Every view is a module exporting `render(ctx)`; ctx carries the signed-in host, a `request`
// bound to the host's session (a 401 anywhere ends the session and returns to the login form),
// and the navigation helpers. Everything goes through the public REST API (api.js).

import { api, ApiError, session } from './api.js';
import { h, loading, notice, button, describeError, announce } from './console-ui.js';
import * as auth from './console-auth.js';
import * as overview from './console-overview.js';
import * as hours from './console-hours.js';
import * as overrides from './console-overrides.js';
import * as types from './console-types.js';
import * as bookings from './console-bookings.js';
import * as calendars from './console-calendars.js';
import * as profile from './console-profile.js';

const NEXT_KEY = 'rendezvous.host.next';

/** Routes: pattern over the path, the view, its nav entry, and whether it needs a session. */
const routes = [
  { pattern: /^\/host\/?$/, view: overview, nav: 'overview' },
  { pattern: /^\/host\/login\/?$/, view: auth.login, public: true },
  { pattern: /^\/host\/register\/?$/, view: auth.register, public: true },
  { pattern: /^\/host\/hours\/?$/, view: hours, nav: 'hours' },
  { pattern: /^\/host\/overrides\/?$/, view: overrides, nav: 'overrides' },
  { pattern: /^\/host\/types\/?$/, view: types.list, nav: 'types' },
  { pattern: /^\/host\/types\/new\/?$/, view: types.editor, nav: 'types' },
  { pattern: /^\/host\/types\/([0-9A-Fa-f-]{36})\/?$/, view: types.editor, nav: 'types' },
  { pattern: /^\/host\/bookings\/?$/, view: bookings, nav: 'bookings', params: ['upcoming'] },
  { pattern: /^\/host\/bookings\/past\/?$/, view: bookings, nav: 'bookings', params: ['past'] },
  { pattern: /^\/host\/calendars\/?$/, view: calendars, nav: 'calendars' },
  { pattern: /^\/host\/profile\/?$/, view: profile, nav: 'profile' },
];

const notFound = {
  render(ctx) {
    ctx.pageHeader('Page not found');
    ctx.main.append(
      h('p', {}, 'There is no console page at this address.'),
      h('p', {}, h('a', { href: '/host/' }, 'Go to the overview')));
  },
};

/** Thrown (and ignored by views) when a request hit a 401 and the session was ended. */
class SessionEnded extends Error {
  constructor() {
    super('Your session has ended.');
    this.name = 'SessionEnded';
    this.quiet = true;
  }
}

const state = {
  user: null,
  controller: null,
  flash: null,
  firstRender: true,
  renderCount: 0,
};

const main = document.getElementById('main');
const nav = document.getElementById('console-nav');
const menuButton = document.getElementById('console-menu-button');
const account = document.getElementById('console-account');
const userName = document.getElementById('console-user-name');

// ---------------------------------------------------------------------------------------------
// Session

function setUser(user) {
  state.user = user;
  const signedIn = !!user;
  nav.hidden = !signedIn;
  menuButton.hidden = !signedIn;
  account.hidden = !signedIn;
  userName.textContent = user ? user.name : '';
  document.body.classList.toggle('console--signed-in', signedIn);
  if (!signedIn) closeMenu();
}

function endSession(message) {
  session.token = null;
  setUser(null);
  if (message) state.flash = { kind: 'info', text: message };
}

/** The host's API: bearer from the session; a 401 ends the session and goes to the login form. */
function hostRequest(signal) {
  return async (path, options = {}) => {
    try {
      return await api(path, { token: true, signal, ...options });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        if (session.token) {
          endSession('Your session has ended. Please log in again.');
          rememberNext(location.pathname + location.search);
          navigate('/host/login', { replace: true });
        }
        throw new SessionEnded();
      }
      throw error;
    }
  };
}

function rememberNext(path) {
  if (/^\/host\/(login|register)\/?$/.test(path)) return;
  sessionStorage.setItem(NEXT_KEY, path);
}

function takeNext() {
  const next = sessionStorage.getItem(NEXT_KEY);
  sessionStorage.removeItem(NEXT_KEY);
  return next && next.startsWith('/host') ? next : '/host/';
}

// ---------------------------------------------------------------------------------------------
// Navigation

/** Goes to `path` inside the console. options: {replace, flash: {kind, text}}. */
export function navigate(path, { replace = false, flash } = {}) {
  if (flash) state.flash = flash;
  if (replace) history.replaceState(null, '', path); else history.pushState(null, '', path);
  render();
}

function match(pathname) {
  for (const route of routes) {
    const m = pathname.match(route.pattern);
    if (m) return { route, params: route.params || m.slice(1) };
  }
  return null;
}

function setCurrentNav(key) {
  nav.querySelectorAll('a[data-nav]').forEach((link) => {
    if (link.dataset.nav === key) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  });
}

async function render() {
  state.controller?.abort();
  const controller = new AbortController();
  state.controller = controller;
  const renderId = ++state.renderCount;
  closeMenu();

  const found = match(location.pathname);
  const route = found?.route;
  if (route && !route.public && !session.token) {
    rememberNext(location.pathname + location.search);
    history.replaceState(null, '', '/host/login');
    return render();
  }
  if (route?.public && session.token) {
    history.replaceState(null, '', '/host/');
    return render();
  }

  // A session from an earlier visit: who is it?
  if (session.token && !state.user) {
    main.replaceChildren(loading('Loading your account…'));
    try {
      setUser(await hostRequest(controller.signal)('/api/users/me'));
    } catch (error) {
      if (error.name === 'AbortError' || error.quiet) return;
      main.replaceChildren(
        h('h1', { tabindex: '-1' }, 'The console could not load'),
        notice('error', describeError(error)),
        h('div', { class: 'console-actions' }, button('Try again', { variant: 'primary', onclick: () => render() })));
      return;
    }
    if (renderId !== state.renderCount) return;
  }

  setCurrentNav(route?.nav);
  const view = route ? route.view : notFound;
  const flash = state.flash;
  state.flash = null;

  const content = h('div', { class: 'console-view' });
  main.replaceChildren(content);
  const ctx = {
    main: content,
    user: state.user,
    params: found?.params || [],
    query: new URLSearchParams(location.search),
    signal: controller.signal,
    request: hostRequest(controller.signal),
    navigate,
    setUser,
    setTitle(title) { document.title = `${title} · Rendezvous host console`; },
    /** Starts a session with a fresh login answer and goes where the person was heading (`message`: a notice to show there). */
    signIn(loginAnswer, message) {
      session.token = loginAnswer.access_token;
      setUser(loginAnswer.user);
      navigate(takeNext(), { replace: true, flash: message ? { kind: 'success', text: message } : undefined });
    },
    /**
     * The page's header: its h1 (which also names the document), an optional lead paragraph and
     * actions, then the message carried over from the previous page, if any. Focus moves to the
     * heading on every page after the first.
     */
    pageHeader(title, { lead, actions, documentTitle } = {}) {
      ctx.setTitle(documentTitle || title);
      const heading = h('h1', { tabindex: '-1', class: 'console-page-header__title' }, title);
      const header = h('div', { class: 'console-page-header' },
        h('div', { class: 'console-page-header__text' }, heading, lead ? h('p', { class: 'console-page-header__lead' }, lead) : null),
        actions ? h('div', { class: 'console-page-header__actions' }, actions) : null);
      content.append(header);
      if (flash) {
        content.append(notice(flash.kind, flash.text));
        announce(flash.text);
      }
      if (!state.firstRender) heading.focus();
      return header;
    },
    isCurrent: () => renderId === state.renderCount,
  };

  try {
    await view.render(ctx);
  } catch (error) {
    if (error.name === 'AbortError' || error.quiet) return;
    if (renderId !== state.renderCount) return;
    console.error(error);
    content.append(notice('error', describeError(error)));
  }
  if (renderId !== state.renderCount) return;

  // After the first page, a route change moves focus to the new page's heading, so keyboard
  // and screen-reader users start at the top of what changed.
  if (!state.firstRender) {
    const heading = content.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      if (!content.contains(document.activeElement) || document.activeElement === document.body) heading.focus();
    }
  }
  state.firstRender = false;
}

// Links inside the console are routed here (plain clicks only: a new tab still works).
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest?.('a[href]');
  if (!link || link.target === '_blank' || link.hasAttribute('download')) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || !/^\/host(\/|$)/.test(url.pathname)) return;
  event.preventDefault();
  if (url.pathname + url.search === location.pathname + location.search) {
    render();
    return;
  }
  navigate(url.pathname + url.search + url.hash);
});

window.addEventListener('popstate', () => render());

// Another tab logged out (or in): follow it.
window.addEventListener('storage', (event) => {
  if (event.key !== 'rendezvous.host.token') return;
  if (!event.newValue) {
    endSession('You logged out in another tab.');
    navigate('/host/login', { replace: true });
  } else if (!state.user) {
    render();
  }
});

// ---------------------------------------------------------------------------------------------
// Narrow screens: the navigation folds behind a Menu button.

function closeMenu() {
  menuButton.setAttribute('aria-expanded', 'false');
  nav.classList.remove('console-nav--open');
}

menuButton.addEventListener('click', () => {
  const open = menuButton.getAttribute('aria-expanded') !== 'true';
  menuButton.setAttribute('aria-expanded', String(open));
  nav.classList.toggle('console-nav--open', open);
  if (open) nav.querySelector('a')?.focus();
});

nav.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && menuButton.getAttribute('aria-expanded') === 'true') {
    closeMenu();
    menuButton.focus();
  }
});

document.getElementById('logout').addEventListener('click', () => {
  endSession('You have logged out.');
  navigate('/host/login');
});

render();
