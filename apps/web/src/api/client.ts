import type { ApiErrorBody } from './types';

const TOKEN_KEY = 'epa.token';

/** A refusal of the API: its status, its Chinese message, and the fields (or policy findings) it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message || `请求失败（${status}）`);
  }
  get details(): NonNullable<ApiErrorBody['details']> {
    return this.body.details ?? [];
  }
}

export const session = {
  token: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (token: string): void => localStorage.setItem(TOKEN_KEY, token),
  clear: (): void => localStorage.removeItem(TOKEN_KEY),
};

/** Called when the API answers 401 to a signed-in request (the token expired or was revoked). */
let onUnauthorized: () => void = () => undefined;
export const setUnauthorizedHandler = (fn: () => void): void => {
  onUnauthorized = fn;
};

/** One request to /api/v1: JSON in and out (or multipart for a FormData body), the bearer token attached. */
export async function api<T>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
  const headers: Record<string, string> = { ...extraHeaders };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(`/api/v1${path}`, { method, headers, body: payload });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { statusCode: res.status, message: text };
  }
  if (!res.ok) {
    if (res.status === 401 && token) onUnauthorized();
    const b = (parsed ?? {}) as Partial<ApiErrorBody>;
    throw new ApiError(res.status, { statusCode: res.status, message: b.message ?? `请求失败（${res.status}）`, error: b.error, details: b.details });
  }
  return parsed as T;
}

/**
 * GETs started before React renders (the warm start: the first screen's data is on its way while the scripts
 * still load), each handed once to the first reader of that path within a few seconds; later reads fetch afresh.
 */
const early = new Map<string, { at: number; promise: Promise<unknown>; arrived?: { value: unknown } }>();
const EARLY_FOR_MS = 10_000;

export function prefetch(path: string): void {
  if (early.has(path)) return;
  const entry: { at: number; promise: Promise<unknown>; arrived?: { value: unknown } } = { at: Date.now(), promise: api('GET', path) };
  entry.promise.then((value) => (entry.arrived = { value }), () => undefined);
  early.set(path, entry);
}

function takeEarly(path: string): { promise: Promise<unknown>; arrived?: { value: unknown } } | undefined {
  const entry = early.get(path);
  if (!entry) return undefined;
  early.delete(path);
  return Date.now() - entry.at < EARLY_FOR_MS ? entry : undefined;
}

/** The early answer for a path when it has already arrived (a page can then draw its data in its first render). */
export function arrivedEarly<T>(path: string): { value: T } | undefined {
  if (!early.get(path)?.arrived) return undefined;
  return takeEarly(path)?.arrived as { value: T } | undefined;
}

export const get = <T>(path: string): Promise<T> => (takeEarly(path)?.promise as Promise<T> | undefined) ?? api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}, headers?: Record<string, string>): Promise<T> => api<T>('POST', path, body, headers);
export const patch = <T>(path: string, body: unknown): Promise<T> => api<T>('PATCH', path, body);
export const del = <T>(path: string): Promise<T> => api<T>('DELETE', path);

/** A query string from the defined values of an object. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Every page of a list endpoint, up to `max` rows (pickers and registry lists). */
export async function all<T>(path: string, max = 2000): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: { items: T[]; nextCursor: string | null } = await get(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out;
}

/** Downloads a file the API serves to signed-in users (the bearer header cannot ride on a plain link). */
export async function download(path: string, fileName: string): Promise<void> {
  const token = session.token();
  const res = await fetch(`/api/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new ApiError(res.status, { statusCode: res.status, message: `下载失败（${res.status}）` });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
