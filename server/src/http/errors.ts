import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { ApiError } from '@kneadback/shared/schemas/common';
import type { Logger } from '../logger.ts';

/** An expected failure: a status, a stable code for programs and a message for people. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A refusal that says when to come back (HTTP sends it as Retry-After). */
export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfterMs: number,
    code: string,
    /** what was refused, e.g. "too many new exchanges"; the wait is appended */
    what: string,
  ) {
    super(429, code, `${what}; try again in ${inWords(retryAfterMs)}`);
  }

  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.retryAfterMs / 1000));
  }
}

/** "40 seconds", "1 minute", "12 minutes": refusals are read by people. */
function inWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'you do not have access to this') => new AppError(403, 'forbidden', message);

export function toApiError(err: unknown): { status: number; body: ApiError } {
  if (err instanceof AppError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message, field: err.field } } };
  }
  if (err instanceof ZodError) {
    const issue = err.issues[0];
    const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const field = [...(issue?.path ?? []), ...(unknownKey ? [unknownKey] : [])].join('.') || undefined;
    const message = issue ? (field ? `${field}: ${issue.message}` : issue.message) : 'invalid input';
    return { status: 400, body: { error: { code: 'invalid_input', message, field } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'something went wrong on our side' } } };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    // body-parser reports its own failures through err.type
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'too_large', message: 'request body is too large' } });
      return;
    }
    if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
      res.status(400).json({ error: { code: 'invalid_json', message: 'request body must be valid JSON' } });
      return;
    }
    // Anything else Express or body-parser refuses with a 4xx (a malformed %-escape in a path, an
    // aborted body...) is the request's fault: answer it, never a 500 or a crash.
    const httpStatus = (err as { status?: unknown }).status;
    if (!(err instanceof AppError) && typeof httpStatus === 'number' && httpStatus >= 400 && httpStatus < 500) {
      res.status(httpStatus).json({ error: { code: 'bad_request', message: 'the request could not be read' } });
      return;
    }
    if (err instanceof RateLimitedError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    const { status, body } = toApiError(err);
    if (status >= 500) logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    res.status(status).json(body);
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: `no route for ${req.method} ${req.path}` } });
};
