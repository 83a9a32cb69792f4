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
    const { status, body } = toApiError(err);
    if (status >= 500) logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    res.status(status).json(body);
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: `no route for ${req.method} ${req.path}` } });
};
