import type { z } from 'zod';
import { ApiRequestError } from './api.ts';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

export interface FormFeedback<F extends string> {
  fieldErrors: FieldErrors<F>;
  /** A message that belongs to no single field */
  formError: string | null;
}

/** Server and schema messages are lower-case fragments ("enter a valid email address"); show them as sentences. */
export function asSentence(message: string): string {
  const text = message.trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** First schema issue per top-level field, ready to show next to that field. */
export function fieldErrorsFromIssues<F extends string>(issues: readonly z.core.$ZodIssue[]): FieldErrors<F> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    if (field && !errors[field]) errors[field] = asSentence(issue.message);
  }
  return errors as FieldErrors<F>;
}

/** Splits a failed request into a message beside the field the server named, or one for the whole form. */
export function feedbackFromError<F extends string>(err: unknown, fields: readonly F[]): FormFeedback<F> {
  if (!(err instanceof ApiRequestError)) {
    console.error(err);
    return { fieldErrors: {}, formError: 'Something went wrong. Try again.' };
  }
  const field = fields.find((f) => f === err.field);
  if (!field) return { fieldErrors: {}, formError: asSentence(err.message) };
  // Validation messages arrive as "email: enter a valid email address"
  const message = err.message.startsWith(`${field}: `) ? err.message.slice(field.length + 2) : err.message;
  return { fieldErrors: { [field]: asSentence(message) } as FieldErrors<F>, formError: null };
}
