// The one way the dashboard talks to the REST API: JSON in and out, the access token attached,
// and every failure turned into an ApiError with the server's readable message and field errors.
import type { FieldError } from '@leadline/contracts';

export type { FieldError };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }

  /** The message with its field errors, as shown to the user. */
  get detail(): string {
    if (!this.fields.length) return this.message;
    return `${this.message}: ${this.fields.map((f) => `${f.field} — ${f.message}`).join('; ')}`;
  }
}

const TOKEN_KEY = 'leadline.token';

export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** Called when the server answers 401 to a signed-in request (expired or revoked token). */
let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

type Query = Record<string, string | number | boolean | null | undefined | (string | number)[]>;

/** Builds `?a=1&b=x&b=y`, leaving out empty values. */
export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, String(v)));
    else params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = tokenStore.get();
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload: BodyInit | undefined;
  if (typeof body === 'string') {
    headers['Content-Type'] = 'text/csv';
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(`/api${path}${queryString(query)}`, { method, headers, body: payload });
  } catch {
    throw new ApiError(0, 'The server cannot be reached; check the connection and try again');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = (data ?? {}) as { message?: unknown; code?: unknown; fields?: FieldError[] };
    const message = typeof err.message === 'string' && err.message ? err.message : `The server answered ${res.status} ${res.statusText}`;
    if (res.status === 401 && token) onUnauthorized();
    throw new ApiError(res.status, message, typeof err.code === 'string' ? err.code : null, Array.isArray(err.fields) ? err.fields : []);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** A readable message for anything thrown by an API call. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.detail;
  if (err instanceof Error) return err.message;
  return String(err);
}
