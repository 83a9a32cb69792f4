// A tiny fetch wrapper that keeps cookies like a browser would (one jar per client).
import { randomBytes } from 'node:crypto';
import type { CurrentUser } from '@kneadback/shared/schemas/user';

// Response bodies are whatever JSON the server sent; tests assert on their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJson = any;

export interface TestResponse<T = AnyJson> {
  status: number;
  /** Parsed JSON when the response is JSON, else the text ('' for an empty body). */
  body: T;
  /** The raw response text, for "never contains" assertions. */
  text: string;
  headers: Headers;
}

export interface RequestOptions {
  /** Sent as-is instead of JSON.stringify(body); Content-Type defaults to application/json. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export class TestClient {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  get<T = AnyJson>(path: string, opts?: RequestOptions): Promise<TestResponse<T>> {
    return this.request('GET', path, undefined, opts);
  }
  post<T = AnyJson>(path: string, body?: unknown, opts?: RequestOptions): Promise<TestResponse<T>> {
    return this.request('POST', path, body, opts);
  }
  put<T = AnyJson>(path: string, body?: unknown, opts?: RequestOptions): Promise<TestResponse<T>> {
    return this.request('PUT', path, body, opts);
  }
  patch<T = AnyJson>(path: string, body?: unknown, opts?: RequestOptions): Promise<TestResponse<T>> {
    return this.request('PATCH', path, body, opts);
  }
  delete<T = AnyJson>(path: string, body?: unknown, opts?: RequestOptions): Promise<TestResponse<T>> {
    return this.request('DELETE', path, body, opts);
  }

  /** The Cookie header this client would send now ('' when it holds no cookies). */
  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  clearCookies(): void {
    this.cookies.clear();
  }

  async request<T = AnyJson>(
    method: string,
    path: string,
    body?: unknown,
    opts: RequestOptions = {},
  ): Promise<TestResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    let payload: string | undefined = opts.rawBody;
    if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json';
    }
    if (this.cookies.size > 0 && !Object.keys(headers).some((h) => h.toLowerCase() === 'cookie')) {
      headers.Cookie = this.cookieHeader;
    }

    const res = await fetch(new URL(path, this.baseUrl), { method, headers, body: payload, redirect: 'manual' });
    this.storeCookies(res.headers.getSetCookie());
    const text = await res.text();
    const isJson = /\bjson\b/.test(res.headers.get('content-type') ?? '');
    return { status: res.status, body: (isJson && text ? JSON.parse(text) : text) as T, text, headers: res.headers };
  }

  private storeCookies(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [key = '', val = ''] = a.split('=').map((s) => s.trim().toLowerCase());
        return (key === 'max-age' && Number(val) <= 0) || (key === 'expires' && Date.parse(val) <= Date.now());
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export interface SignedUpUser {
  client: TestClient;
  user: CurrentUser;
  email: string;
  password: string;
  /** The session cookie as a Cookie header, e.g. for a WebSocket or Socket.IO handshake. */
  cookieHeader: string;
}

/** Signs up a fresh user (unique email) named `name`; its client is signed in. */
export async function signUpUser(
  server: { url: string },
  name = 'Test User',
  opts?: RequestOptions,
): Promise<SignedUpUser> {
  const suffix = randomBytes(6).toString('hex');
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'user';
  const email = `${slug}-${suffix}@test.kneadback.test`;
  const password = `pw-${suffix}-Secret1`;
  const client = new TestClient(server.url);
  const res = await client.post<{ user: CurrentUser }>(
    '/api/auth/signup',
    { email, password, displayName: name },
    opts,
  );
  if (res.status !== 201) throw new Error(`signup of ${email} failed: ${res.status} ${res.text}`);
  return { client, user: res.body.user, email, password, cookieHeader: client.cookieHeader };
}
