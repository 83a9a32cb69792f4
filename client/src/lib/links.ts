// In-app addresses, built here and nowhere else: a debrief, a mark in it, its printout, an invite link, a note. The routes
// that answer them are in app/App.tsx; a mark link is followed by features/debrief/useMarkDeepLink.ts.
import type { Round } from '@kneadback/shared/schemas/annotation';
import type { CreateNoteBody } from '@kneadback/shared/schemas/note';
import type { Notification } from '@kneadback/shared/schemas/notification';

export const ANNOTATION_PARAM = 'annotation';
export const ROUND_PARAM = 'round';

/** `/debriefs/:exchangeId`: an exchange's debrief (one per exchange, under the exchange's id). */
export function debriefPath(exchangeId: string): string {
  return `/debriefs/${encodeURIComponent(exchangeId)}`;
}

/**
 * `/debriefs/:exchangeId?annotation=<id>&round=<1|2>`: the debrief opened at a mark, in the round it was made in.
 * The link Review, notifications and last time's points use; without a round the mark's own is shown once found.
 */
export function markPath(exchangeId: string, mark: { annotationId: string; round?: Round | null }): string {
  const query = new URLSearchParams({ [ANNOTATION_PARAM]: mark.annotationId });
  if (mark.round) query.set(ROUND_PARAM, String(mark.round));
  return `${debriefPath(exchangeId)}?${query.toString()}`;
}

/** `/exchanges/requests#request-<id>`: the requests page, at one request. */
export function requestPath(requestId: string): string {
  return `/exchanges/requests#request-${encodeURIComponent(requestId)}`;
}

/**
 * Where a notification leads: a reminder to the home view, a request to the requests page (at that request), else
 * its debrief, opened at the mark it is about when there is one.
 */
export function notificationPath(
  notification: Pick<Notification, 'kind' | 'exchangeId' | 'requestId' | 'annotationId' | 'round'>,
): string {
  const { exchangeId, requestId, annotationId, round } = notification;
  if (notification.kind === 'rhythm-reminder') return '/home';
  if (requestId) return requestPath(requestId);
  if (!exchangeId) return '/exchanges';
  return annotationId ? markPath(exchangeId, { annotationId, round }) : debriefPath(exchangeId);
}

/** `/debriefs/:exchangeId/print`: the debrief's printable summary. */
export function debriefPrintPath(exchangeId: string): string {
  return `${debriefPath(exchangeId)}/print`;
}

/** True when `pathname` is that debrief's page (not its printout); never for no debrief. */
export function isDebriefPath(pathname: string, exchangeId: string | null): boolean {
  return exchangeId !== null && pathname.replace(/\/+$/, '') === debriefPath(exchangeId);
}

/** The whole invite link, to send to a partner: whoever opens it first joins the exchange. */
export function inviteUrl(inviteToken: string): string {
  return `${window.location.origin}/join/${encodeURIComponent(inviteToken)}`;
}

/** `/therapists/:userId`: a therapist's profile, as the viewer may see it. */
export function therapistPath(userId: string): string {
  return `/therapists/${encodeURIComponent(userId)}`;
}

/** `/exchanges/request?with=<userId>`: asking that therapist for an exchange. */
export function requestExchangePath(withUserId: string): string {
  return `/exchanges/request?${new URLSearchParams({ with: withUserId }).toString()}`;
}

/** `/notes/:noteId`: a technique note. */
export function notePath(noteId: string): string {
  return `/notes/${encodeURIComponent(noteId)}`;
}

/**
 * `/notes/new`: the new-note form, told what the note starts from ("Write a note about this" on a debrief mark,
 * "Start a note" on a Review pattern) in plain query values; features/notes/newNoteLink.ts reads them back.
 */
export function newNotePath(from?: CreateNoteBody['from']): string {
  if (!from) return '/notes/new';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(from)) if (value !== undefined) params.set(key, String(value));
  return `/notes/new?${params.toString()}`;
}

/** `/review?regionId=…`: Review's body map and critiques for one region. */
export function reviewRegionPath(regionId: string): string {
  return `/review?${new URLSearchParams({ regionId }).toString()}`;
}
