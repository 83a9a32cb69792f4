import type { z } from 'zod';
import type { ApiError } from '@kneadback/shared/schemas/common';

/** A failed API call: the server's code, message and field, or a client-side stand-in. */
export class ApiRequestError extends Error {
  constructor(
    /** HTTP status, or 0 when the server was never reached */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export const NETWORK_ERROR_MESSAGE = "Can't reach Kneadback. Check your connection.";
const UNEXPECTED_MESSAGE = 'Something went wrong. Try again.';

/** Any failure as an ApiRequestError: a bug in our own code is logged and shown as "something went wrong". */
export function toApiRequestError(err: unknown): ApiRequestError {
  if (err instanceof ApiRequestError) return err;
  console.error(err);
  return new ApiRequestError(0, 'unknown', UNEXPECTED_MESSAGE);
}
const SERVER_TROUBLE_MESSAGE = 'Kneadback is having trouble right now. Try again in a moment.';
const BAD_RESPONSE_MESSAGE = 'Kneadback sent an answer this page did not expect. Try reloading.';

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Called when any request finds the session gone, so the app can send the user to sign in. */
export function onSessionExpired(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/**
 * A response schema, or a function that fetches one. The sign-in page passes the latter: zod and the schemas are a
 * quarter of the app's first download, and a visitor who is not signed in needs none of them to see the form.
 */
export type SchemaSource<T> = z.ZodType<T> | (() => Promise<z.ZodType<T>>);

/** The schema itself; a failed fetch of its code counts as being offline. */
export async function resolveSchema<T>(source: SchemaSource<T>): Promise<z.ZodType<T>> {
  if (typeof source !== 'function') return source;
  try {
    return await source();
  } catch (err) {
    console.error('Could not load a schema', err);
    throw new ApiRequestError(0, 'network', NETWORK_ERROR_MESSAGE);
  }
}

export interface RequestOptions {
  signal?: AbortSignal;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function request<T>(
  method: Method,
  path: string,
  body: unknown,
  source: SchemaSource<T> | undefined,
  options: RequestOptions = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers:
        body === undefined
          ? { Accept: 'application/json' }
          : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiRequestError(0, 'network', NETWORK_ERROR_MESSAGE);
  }

  const payload = await readJson(response);
  if (!response.ok) throw toRequestError(response.status, payload);
  if (!source) return payload as T;

  const parsed = (await resolveSchema(source)).safeParse(payload);
  if (!parsed.success) {
    console.error(`Unexpected response from ${method} ${path}`, parsed.error.issues);
    throw new ApiRequestError(response.status, 'bad_response', BAD_RESPONSE_MESSAGE);
  }
  return parsed.data;
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text().catch(() => '');
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toRequestError(status: number, payload: unknown): ApiRequestError {
  if (!isApiError(payload)) {
    // A proxy or a crashed server answers without our error shape
    const offline = status === 502 || status === 503 || status === 504;
    return new ApiRequestError(status, offline ? 'unavailable' : 'unknown', SERVER_TROUBLE_MESSAGE);
  }
  const { code, message, field } = payload.error;
  if (status === 401 && code === 'not_signed_in') for (const listener of unauthorizedListeners) listener();
  return new ApiRequestError(status, code, message, field);
}

/**
 * `apiErrorSchema`, checked by hand: every visitor's first request (who is signed in?) answers 401 with this shape,
 * and reading it must not need zod. api.test.ts holds the two to the same verdicts.
 */
export function isApiError(payload: unknown): payload is ApiError {
  if (typeof payload !== 'object' || payload === null) return false;
  const error: unknown = (payload as Record<string, unknown>).error;
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, field } = error as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string' && (field === undefined || typeof field === 'string');
}

export const api = {
  get: <T = unknown>(path: string, schema?: SchemaSource<T>, options?: RequestOptions) =>
    request('GET', path, undefined, schema, options),
  post: <T = unknown>(path: string, body?: unknown, schema?: SchemaSource<T>, options?: RequestOptions) =>
    request('POST', path, body, schema, options),
  put: <T = unknown>(path: string, body: unknown, schema?: SchemaSource<T>, options?: RequestOptions) =>
    request('PUT', path, body, schema, options),
  patch: <T = unknown>(path: string, body: unknown, schema?: SchemaSource<T>, options?: RequestOptions) =>
    request('PATCH', path, body, schema, options),
  delete: <T = unknown>(path: string, schema?: SchemaSource<T>, options?: RequestOptions) =>
    request('DELETE', path, undefined, schema, options),
};
