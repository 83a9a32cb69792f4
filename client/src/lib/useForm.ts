import { useCallback, useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { z } from 'zod';
import { resolveSchema, type SchemaSource } from './api.ts';
import { feedbackFromError, fieldErrorsFromIssues, type FieldErrors } from './form-errors.ts';

type StringField<V> = { [K in keyof V]: V[K] extends string ? K : never }[keyof V] & string;

/**
 * Form state for a body the shared schemas describe. Submitting validates with the same schema
 * the server uses (same rules, same messages), then runs the action and turns a failure into an
 * error beside the field the server named, or one for the whole form.
 */
export function useForm<V extends Record<string, unknown>>(initial: V) {
  type F = keyof V & string;
  const [values, setValues] = useState<V>(initial);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<F>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formElement = useRef<HTMLFormElement | null>(null);

  // Take keyboard and screen-reader users straight to the first field that needs fixing
  useEffect(() => {
    formElement.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [fieldErrors]);

  const setValue = useCallback(<K extends F>(field: K, value: V[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setFieldErrors((errors) => (errors[field] ? { ...errors, [field]: undefined } : errors));
  }, []);

  /** Replaces the values with what the server saved (it trims and normalises), clearing errors. */
  const reset = useCallback((next: V) => {
    setValues(next);
    setFieldErrors({});
    setFormError(null);
  }, []);

  /** Props for a TextField bound to a string field. */
  const textField = (field: StringField<V>) => ({
    name: field,
    value: values[field] as string,
    error: fieldErrors[field],
    onChange: (e: ChangeEvent<HTMLInputElement>) => setValue(field, e.target.value as V[typeof field]),
  });

  function showFailure(err: unknown) {
    const feedback = feedbackFromError(err, Object.keys(initial) as F[]);
    setFieldErrors(feedback.fieldErrors);
    setFormError(feedback.formError);
  }

  /** An onSubmit handler: validate, run the action, show what went wrong. The schema may still have to be fetched. */
  function handleSubmit<T>(source: SchemaSource<T>, action: (body: T) => Promise<unknown>) {
    return async (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      formElement.current = event.currentTarget;
      if (busy) return;
      let schema: z.ZodType<T>;
      if (typeof source === 'function') {
        setBusy(true);
        try {
          schema = await resolveSchema(source);
        } catch (err) {
          showFailure(err);
          return;
        } finally {
          setBusy(false);
        }
      } else {
        schema = source;
      }
      const parsed = schema.safeParse(values);
      if (!parsed.success) {
        setFieldErrors(fieldErrorsFromIssues<F>(parsed.error.issues));
        setFormError(null);
        return;
      }
      setBusy(true);
      setFieldErrors({});
      setFormError(null);
      try {
        await action(parsed.data);
      } catch (err) {
        showFailure(err);
      } finally {
        setBusy(false);
      }
    };
  }

  return { values, setValue, reset, textField, fieldErrors, formError, busy, handleSubmit };
}
