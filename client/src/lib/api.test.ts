import { describe, expect, it } from 'vitest';
import { apiErrorSchema } from '@kneadback/shared/schemas/common';
import { isApiError } from './api.ts';

// isApiError stands in for apiErrorSchema so the sign-in page need not download zod; they must agree
describe('isApiError', () => {
  const payloads: unknown[] = [
    { error: { code: 'not_signed_in', message: 'Sign in first' } },
    { error: { code: 'validation', message: 'email: enter a valid email address', field: 'email' } },
    { error: { code: 'x', message: 'y', field: undefined } },
    { error: { code: 'x', message: 'y', extra: 1 }, other: true },
    { error: { code: 'x', message: 'y', field: 3 } },
    { error: { code: 'x', message: 'y', field: null } },
    { error: { code: 'x' } },
    { error: { code: 1, message: 'y' } },
    { error: { message: 'y' } },
    { error: 'not_signed_in' },
    { error: null },
    { error: [] },
    { message: 'Bad Gateway' },
    'Bad Gateway',
    [],
    null,
    undefined,
    42,
  ];

  it.each(payloads.map((payload) => [JSON.stringify(payload) ?? String(payload), payload]))(
    'agrees with apiErrorSchema on %s',
    (_label, payload) => {
      expect(isApiError(payload)).toBe(apiErrorSchema.safeParse(payload).success);
    },
  );
});
