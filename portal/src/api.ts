// The portal's only way to the platform: the gateway's public API, with the signed-in session's
// bearer token. Errors arrive as RFC 9457 problem+json and become ApiError, which keeps the
// per-field messages so a form can show each one next to its field.

export type FieldError = { field: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly fieldErrors: FieldError[] = [],
    readonly type = '',
  ) {
    super(detail || title);
  }

  /**
   * The API's message for one field, if it named it. "body.priority" counts as priority and
   * "tags[1]" as tags: a list's items are reported under the list's field.
   */
  forField(field: string): string | undefined {
    const messages = this.fieldErrors.filter((e) => baseField(e.field) === field).map((e) => e.message);
    return messages.length ? [...new Set(messages)].join('; ') : undefined;
  }
}

/** "body.items[2].amount" → "amount"; "tags[1]" → "tags". */
export const baseField = (field: string) => field.replace(/\[\d+\]/g, '').split('.').pop() ?? field;

export type Claims = {
  sub: string;
  upn?: string;
  tenant: string;
  tier: string;
  kind: 'user' | 'apikey';
  groups: string[];
  exp: number;
  sid?: string;
  features?: Record<string, unknown>;
};

export type Tokens = { accessToken: string; refreshToken?: string | null };

const STORAGE_KEY = 'securebase.session';

let tokens: Tokens | null = read();
const listeners = new Set<() => void>();

function read(): Tokens | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

function decodeClaims(accessToken: string): Claims {
  const payload = accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const json = decodeURIComponent(
    atob(payload)
      .split('')
      .map((c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0'))
      .join(''),
  );
  return JSON.parse(json) as Claims;
}

export function session(): { tokens: Tokens; claims: Claims } | null {
  if (!tokens) return null;
  try {
    return { tokens, claims: decodeClaims(tokens.accessToken) };
  } catch {
    setTokens(null); // a damaged stored session: sign in again rather than a blank page
    return null;
  }
}

function setTokens(next: Tokens | null): void {
  tokens = next;
  // Per tab and gone when the tab closes: a shared machine keeps no session behind.
  if (next) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  else sessionStorage.removeItem(STORAGE_KEY);
  listeners.forEach((l) => l());
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function problemOf(response: Response): Promise<ApiError> {
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try {
      const p = await response.json();
      return new ApiError(
        response.status,
        p.title ?? response.statusText,
        p.detail ?? '',
        Array.isArray(p.errors) ? p.errors : [],
        typeof p.type === 'string' ? p.type : '',
      );
    } catch {
      // fall through to the status line
    }
  }
  return new ApiError(response.status, response.statusText || 'Request failed', '');
}

type Refreshed = 'renewed' | 'refused' | 'unreachable';
let refreshing: Promise<Refreshed> | null = null;

/** One refresh at a time, however many requests found the access token expired together. */
function refresh(): Promise<Refreshed> {
  const refreshToken = tokens?.refreshToken;
  if (!refreshToken) return Promise.resolve('refused');
  refreshing ??= fetch('/v1/auth/refresh', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ refreshToken }),
  })
    .then(async (r): Promise<Refreshed> => {
      if (!r.ok) return r.status >= 500 ? 'unreachable' : 'refused';
      const t = await r.json();
      setTokens({ accessToken: t.accessToken, refreshToken: t.refreshToken });
      return 'renewed';
    })
    .catch((): Refreshed => 'unreachable') // offline is not signed out
    .finally(() => (refreshing = null));
  return refreshing;
}

/** Renews the access token when it is about to expire (the WebSocket cannot refresh on a 401). */
export async function freshToken(): Promise<string | null> {
  const current = session();
  if (current && current.claims.exp * 1000 - Date.now() < 60_000) await refresh();
  return tokens?.accessToken ?? null;
}

type Body = { json: unknown } | { raw: BodyInit; contentType: string };

async function send(method: string, path: string, body?: Body, accept = 'application/json'): Promise<Response> {
  const attempt = () =>
    fetch(path, {
      method,
      headers: {
        Accept: accept + ', application/problem+json',
        ...(body === undefined ? {} : { 'Content-Type': 'json' in body ? 'application/json' : body.contentType }),
        ...(tokens ? { Authorization: 'Bearer ' + tokens.accessToken } : {}),
      },
      body: body === undefined ? undefined : 'json' in body ? JSON.stringify(body.json) : body.raw,
    });
  let response = await attempt();
  if (response.status === 401 && tokens) {
    const refreshed = await refresh();
    if (refreshed === 'renewed') response = await attempt();
    else if (refreshed === 'unreachable') throw new TypeError('The platform cannot be reached');
    if (response.status === 401) setTokens(null);
  }
  if (!response.ok) throw await problemOf(response);
  return response;
}

async function parsed<T>(response: Response): Promise<T> {
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A JSON call; resolves to undefined for an empty answer. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  return parsed<T>(await send(method, path, body === undefined ? undefined : { json: body }));
}

export const get = <T>(path: string) => api<T>('GET', path);

/** Sends a body that is not JSON (a CSV upload, say); the answer is JSON. */
export async function upload<T>(method: string, path: string, raw: BodyInit, contentType: string): Promise<T> {
  return parsed<T>(await send(method, path, { raw, contentType }));
}

/**
 * Fetches a file with the session's token and hands it to the browser as a download. A POST with a
 * JSON body serves exports that are described by a query rather than an id.
 */
export async function download(path: string, filename: string, accept = '*/*', post?: unknown): Promise<void> {
  const response = await send(post === undefined ? 'GET' : 'POST', path, post === undefined ? undefined : { json: post }, accept);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Signs in and keeps the session; the second factor goes in the same call when the API asks for it. */
export async function signIn(body: Record<string, string | undefined>): Promise<void> {
  const t = await api<{ accessToken: string; refreshToken?: string }>('POST', '/v1/auth/authenticate', body);
  setTokens({ accessToken: t.accessToken, refreshToken: t.refreshToken });
}

export async function signOut(): Promise<void> {
  const refreshToken = tokens?.refreshToken;
  if (refreshToken) await api('POST', '/v1/auth/logout', { refreshToken }).catch(() => undefined);
  setTokens(null);
}

export function streamUrl(accessToken: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/v1/notifications/stream?access_token=${encodeURIComponent(accessToken)}`;
}

/** Builds a query string from the set values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  });
  const s = q.toString();
  return s ? '?' + s : '';
}

export type Page<T> = { items: T[]; nextCursor: string | null };
