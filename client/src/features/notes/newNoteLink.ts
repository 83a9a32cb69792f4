import type { CreateNoteBody } from '@kneadback/shared/schemas/note';

type NoteOrigin = NonNullable<CreateNoteBody['from']>;

/**
 * Where "Write a note about this" (a debrief mark) and "Start a note" (a Review pattern) lead: the
 * new-note form, told what the note starts from. Plain strings only, so the debrief and Review
 * screens link here without loading anything of the notes feature.
 */
export function newNoteHref(from?: NoteOrigin): string {
  if (!from) return '/notes/new';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(from)) if (value !== undefined) params.set(key, String(value));
  return `/notes/new?${params.toString()}`;
}

/** The origin a /notes/new address names, as the body's `from` would hold it (the server checks it). */
export function originFromParams(params: URLSearchParams): Record<string, string | number> | undefined {
  const type = params.get('type');
  if (!type) return undefined;
  const from: Record<string, string | number> = {};
  for (const [key, value] of params) from[key] = key === 'count' ? Number(value) : value;
  return from;
}
