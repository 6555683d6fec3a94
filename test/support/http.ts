/** A tiny HTTP client for tests that drive the system as an outside client would. */
export interface HttpResult<T = any> {
  status: number;
  body: T;
}

export class Http {
  constructor(
    readonly baseUrl: string,
    /** The bearer token this client sends (for tests that make their own requests). */
    readonly token?: string,
  ) {}

  as(token: string): Http {
    return new Http(this.baseUrl, token);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as T };
  }

  get<T = any>(path: string): Promise<HttpResult<T>> {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult<T>> {
    return this.request<T>('POST', path, body ?? {}, headers);
  }
  patch<T = any>(path: string, body: unknown): Promise<HttpResult<T>> {
    return this.request<T>('PATCH', path, body);
  }

  async login(username: string, password: string): Promise<Http> {
    const res = await this.post<{ accessToken: string }>('/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return this.as(res.body.accessToken);
  }
}

/** Asserts a status, printing the body when it differs (much faster to debug than a bare number). */
export function expectStatus<T>(res: HttpResult<T>, status: number): HttpResult<T> {
  if (res.status !== status) throw new Error(`expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}

/** A request the way a client with retries makes it: network errors and 5xx are tried again (same body and key). */
export async function retried(send: () => Promise<HttpResult>, what: string): Promise<HttpResult> {
  for (let attempt = 0; ; attempt++) {
    const res = await send().catch((err: unknown) => ({ status: 0, body: String(err) }) as HttpResult);
    if (res.status !== 0 && res.status < 500) return res;
    if (attempt > 120) throw new Error(`${what}: still failing (${res.status} ${JSON.stringify(res.body)})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
