// Every HTTP call the notes screens make, as TanStack Query options and mutations (lib/query.ts),
// keyed by lib/query-keys.ts. Answers are parsed with the shared schemas (schemas/note.ts).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import {
  helpfulResponseSchema,
  noteCommentsResponseSchema,
  noteCompareResponseSchema,
  noteCommentSchema,
  noteResponseSchema,
  noteSearchResponseSchema,
  noteSharingSchema,
  noteStorageResponseSchema,
  notesAboutMarkResponseSchema,
  noteVersionResponseSchema,
  noteVersionSchema,
  noteVersionsResponseSchema,
  sharedWithMeResponseSchema,
  sharePartnersResponseSchema,
  noteMarkLinkSchema,
  type CreateNoteBody,
  type NoteSharing,
  type NoteView,
  type ShareRole,
} from '@kneadback/shared/schemas/note';
import { z } from 'zod';
import { api } from '../../lib/api.ts';
import { apiQuery } from '../../lib/query.ts';
import { queryKeys } from '../../lib/query-keys.ts';

const keys = queryKeys.notes;
const notePath = (noteId: string) => `/api/notes/${encodeURIComponent(noteId)}`;

export const noteQueries = {
  /** `query` is a URLSearchParams string of noteSearchQuerySchema's fields. */
  search: (query: string) => apiQuery(keys.search(query), `/api/notes?${query}`, noteSearchResponseSchema),
  sharedWithMe: () => apiQuery(keys.sharedWithMe(), '/api/notes/shared-with-me', sharedWithMeResponseSchema),
  sharePartners: () => apiQuery(keys.sharePartners(), '/api/notes/share-partners', sharePartnersResponseSchema),
  storage: () => apiQuery(keys.storage(), '/api/notes/storage', noteStorageResponseSchema),
  aboutMark: (exchangeId: string, markId: string) =>
    apiQuery(
      keys.aboutMark(exchangeId, markId),
      `/api/notes/about-mark/${encodeURIComponent(exchangeId)}/${encodeURIComponent(markId)}`,
      notesAboutMarkResponseSchema,
    ),
  one: (noteId: string) => apiQuery(keys.one(noteId), notePath(noteId), noteResponseSchema),
  versions: (noteId: string) =>
    apiQuery(keys.versions(noteId), `${notePath(noteId)}/versions`, noteVersionsResponseSchema),
  version: (noteId: string, versionId: string) =>
    apiQuery(
      keys.version(noteId, versionId),
      `${notePath(noteId)}/versions/${encodeURIComponent(versionId)}`,
      noteVersionResponseSchema,
    ),
  compare: (noteId: string, versionId: string) =>
    apiQuery(
      keys.compare(noteId, versionId),
      `${notePath(noteId)}/versions/${encodeURIComponent(versionId)}/compare`,
      noteCompareResponseSchema,
    ),
  comments: (noteId: string) =>
    apiQuery(keys.comments(noteId), `${notePath(noteId)}/comments`, noteCommentsResponseSchema),
};

export function useCreateNote() {
  return useMutation({
    mutationFn: (body: CreateNoteBody) => api.post('/api/notes', body, noteResponseSchema),
    meta: { invalidates: [keys.all] },
  });
}

// PUT/DELETE …/shares/:userId and PUT …/community answer {sharing}
const sharingResponseSchema = z.object({ sharing: noteSharingSchema });

/** The note's page shows the sharing the server answered with at once, not after a refetch. */
function useShowSharing(noteId: string) {
  const client = useQueryClient();
  return async (sharing: NoteSharing) => {
    // A read that left before this change must not land after it and show the old sharing
    await client.cancelQueries({ queryKey: keys.one(noteId), exact: true });
    client.setQueryData(keys.one(noteId), (current: { note: NoteView } | undefined) =>
      current ? { note: { ...current.note, sharing, published: sharing.published } } : current,
    );
  };
}

/** Share with a partner (or change their role), or take it back with `role: null`. */
export function useShareNote(noteId: string) {
  const showSharing = useShowSharing(noteId);
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: ShareRole | null }) => {
      const path = `${notePath(noteId)}/shares/${encodeURIComponent(userId)}`;
      const answer = role ? api.put(path, { role }, sharingResponseSchema) : api.delete(path, sharingResponseSchema);
      return answer.then(({ sharing }) => sharing);
    },
    onSuccess: showSharing,
    meta: { invalidates: [keys.one(noteId)] },
  });
}

export function usePublishNote(noteId: string) {
  const showSharing = useShowSharing(noteId);
  return useMutation({
    mutationFn: (published: boolean) =>
      api.put(`${notePath(noteId)}/community`, { published }, sharingResponseSchema).then(({ sharing }) => sharing),
    onSuccess: showSharing,
    meta: { invalidates: [keys.all] },
  });
}

const linkResponseSchema = z.object({ link: noteMarkLinkSchema });

export function useLinkMark(noteId: string) {
  return useMutation({
    mutationFn: (mark: { exchangeId: string; markId: string }) =>
      api.post(`${notePath(noteId)}/links`, mark, linkResponseSchema),
    // The mark's "Notes about this" changes too
    meta: { invalidates: [keys.one(noteId), keys.aboutMarks] },
  });
}

export function useUnlinkMark(noteId: string) {
  return useMutation({
    mutationFn: (linkId: string) => api.delete(`${notePath(noteId)}/links/${encodeURIComponent(linkId)}`),
    meta: { invalidates: [keys.one(noteId), keys.aboutMarks] },
  });
}

const versionResponseSchema = z.object({ version: noteVersionSchema });

export function useNameVersion(noteId: string) {
  return useMutation({
    mutationFn: (name: string) => api.post(`${notePath(noteId)}/versions`, { name }, versionResponseSchema),
    meta: { invalidates: [keys.versions(noteId), keys.storage()] },
  });
}

/** The owner deletes a named version: its space comes back to their storage. */
export function useDeleteVersion(noteId: string) {
  return useMutation({
    mutationFn: (versionId: string) => api.delete(`${notePath(noteId)}/versions/${encodeURIComponent(versionId)}`),
    meta: { invalidates: [keys.versions(noteId), keys.storage()] },
  });
}

export function useRestoreVersion(noteId: string) {
  return useMutation({
    mutationFn: (versionId: string) =>
      api.post(`${notePath(noteId)}/versions/${encodeURIComponent(versionId)}/restore`),
    // The state before the restore is kept as a new automatic version
    meta: { invalidates: [keys.versions(noteId)] },
  });
}

export function useHelpful(noteId: string) {
  return useMutation({
    mutationFn: (helpful: boolean) => {
      const path = `${notePath(noteId)}/helpful`;
      return helpful ? api.put(path, undefined, helpfulResponseSchema) : api.delete(path, helpfulResponseSchema);
    },
    meta: { invalidates: [keys.one(noteId)] },
  });
}

const commentResponseSchema = z.object({ comment: noteCommentSchema });

export function useCommentActions(noteId: string) {
  const meta = { invalidates: [keys.comments(noteId)] };
  const commentPath = (id: string) => `${notePath(noteId)}/comments/${encodeURIComponent(id)}`;
  return {
    add: useMutation({
      mutationFn: (text: string) => api.post(`${notePath(noteId)}/comments`, { text }, commentResponseSchema),
      meta,
    }),
    edit: useMutation({
      mutationFn: ({ id, text }: { id: string; text: string }) =>
        api.patch(commentPath(id), { text }, commentResponseSchema),
      meta,
    }),
    remove: useMutation({
      mutationFn: (id: string) => api.delete(commentPath(id)),
      meta,
    }),
  };
}

/** Tells the server this person has seen the note now: it stops counting as new in "Shared with me". */
export function useMarkOpened(noteId: string): void {
  const client = useQueryClient();
  useEffect(() => {
    api.post(`${notePath(noteId)}/opened`).then(
      () => client.invalidateQueries({ queryKey: keys.sharedWithMe() }),
      // Only a "New" marker is at stake: it is set right the next time the note opens
      () => undefined,
    );
  }, [client, noteId]);
}
