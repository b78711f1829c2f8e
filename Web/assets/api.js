// The public REST API (/api) as the pages use it: the same contract as any other client.
//
// Every call resolves to the parsed JSON (or null for 204) and rejects with an ApiError that
// carries the problem JSON: status, code (malformed_json, validation_failed, slot_unavailable,
// version_conflict, …), detail, and errors [{field, message}] for validation_failed.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `The server answered ${status}.`);
    this.status = status;
    this.code = problem?.code || (status === 0 ? 'network' : 'unknown');
    this.title = problem?.title || '';
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
    this.retryAfter = null;
  }

  /** The message for `field`, or undefined. */
  messageFor(field) {
    return this.errors.find((e) => e.field === field)?.message;
  }
}

const TOKEN_KEY = 'rendezvous.host.token';

/** The host's bearer token, kept across reloads (never in a URL). */
export const session = {
  get token() { return localStorage.getItem(TOKEN_KEY); },
  set token(value) {
    if (value) localStorage.setItem(TOKEN_KEY, value); else localStorage.removeItem(TOKEN_KEY);
  },
};

/**
 * Calls the API. `options`: {method, body (an object, sent as JSON), token (bearer; true = the
 * host session's), headers, signal}.
 */
export async function api(path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  const bearer = options.token === true ? session.token : options.token;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let body;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response;
  try {
    response = await fetch(path, { method: options.method || 'GET', headers, body, signal: options.signal, credentials: 'omit' });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, { detail: 'The server could not be reached. Check your connection and try again.' });
  }
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    error.retryAfter = response.headers.get('Retry-After');
    throw error;
  }
  return data;
}

/** A fresh Idempotency-Key: one per booking attempt, reused when that attempt is retried. */
export function idempotencyKey() {
  return crypto.randomUUID();
}
