import { useQuery } from '@tanstack/react-query';
import { reviewListResponseSchema } from '@kneadback/shared/schemas/review';
import type { NoteMarkLink } from '@kneadback/shared/schemas/note';
import { CATEGORY_LABELS } from '@kneadback/shared/vocabulary';
import { Alert } from '../../../app/ui/Alert.tsx';
import { Button } from '../../../app/ui/Button.tsx';
import { LoadFailed, Loading } from '../../../app/ui/QueryStatus.tsx';
import { asSentence } from '../../../lib/form-errors.ts';
import { apiQuery } from '../../../lib/query.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import { Dialog } from '../Dialog.tsx';
import { regionWithView } from '@kneadback/shared/body/index';
import { formatDay } from '@kneadback/shared/format/days';
import { useLinkMark } from '../noteApi.ts';

const RECENT_MARKS = new URLSearchParams({ sort: 'newest', pageSize: '30' }).toString();

interface LinkMarkDialogProps {
  noteId: string;
  links: readonly NoteMarkLink[];
  onClose: () => void;
}

/** Marks from your recent debriefs (given or received), newest first; one tap links the note to it. */
export function LinkMarkDialog({ noteId, links, onClose }: LinkMarkDialogProps) {
  const marks = useQuery(
    apiQuery(
      queryKeys.review.critiques(RECENT_MARKS),
      `/api/review/critiques?${RECENT_MARKS}`,
      reviewListResponseSchema,
    ),
  );
  const link = useLinkMark(noteId);
  const linked = new Set(links.map((l) => `${l.exchangeId}/${l.markId}`));

  return (
    <Dialog title="Link a mark from a debrief" onClose={onClose}>
      <p className="field__hint">
        Only the partners of that exchange see the link; everyone else sees the note without it.
      </p>
      {link.error && <Alert tone="error">{asSentence(link.error.message)}</Alert>}
      {marks.isPending ? (
        <Loading what="your recent marks" />
      ) : marks.isError ? (
        <LoadFailed what="your recent marks" query={marks} />
      ) : marks.data.items.length === 0 ? (
        <p>No marks yet: they appear here once you have debriefed an exchange.</p>
      ) : (
        <ul className="mark-pick">
          {marks.data.items.map((mark) => {
            const key = `${mark.exchangeId}/${mark.annotationId}`;
            const busy = link.isPending && link.variables?.markId === mark.annotationId;
            return (
              <li key={key} className="mark-pick__row">
                <span className="mark-pick__what">
                  <strong>{regionWithView(mark.regionId)}</strong> · {CATEGORY_LABELS[mark.category]}
                  <span className="mark-pick__detail">
                    {mark.text && `“${mark.text}” · `}
                    {mark.partner ? `with ${mark.partner.displayName}, ` : ''}
                    {formatDay(mark.exchangeDate, 'medium')}
                  </span>
                </span>
                {linked.has(key) ? (
                  <span className="mark-pick__done">Linked</span>
                ) : (
                  <Button
                    variant="secondary"
                    busy={busy}
                    aria-label={`Link to ${regionWithView(mark.regionId)}, ${formatDay(mark.exchangeDate, 'medium')}`}
                    onClick={() => link.mutate({ exchangeId: mark.exchangeId, markId: mark.annotationId })}
                  >
                    Link
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Dialog>
  );
}
