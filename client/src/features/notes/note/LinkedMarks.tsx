import { Link } from 'react-router-dom';
import type { NoteMarkLink } from '@kneadback/shared/schemas/note';
import { Alert } from '../../../app/ui/Alert.tsx';
import { Button } from '../../../app/ui/Button.tsx';
import { asSentence } from '../../../lib/form-errors.ts';
import { markPath, reviewRegionPath } from '../../../lib/links.ts';
import { regionWithView } from '@kneadback/shared/body/index';
import { formatDay } from '@kneadback/shared/format/days';
import { useUnlinkMark } from '../noteApi.ts';

interface LinkedMarksProps {
  noteId: string;
  links: readonly NoteMarkLink[];
  canEdit: boolean;
  onAdd: () => void;
}

/** The debrief marks this note is about (only those whose debrief you may see). */
export function LinkedMarks({ noteId, links, canEdit, onAdd }: LinkedMarksProps) {
  const unlink = useUnlinkMark(noteId);
  return (
    <section className="note-section" aria-labelledby="note-links-title">
      <div className="note-section__head">
        <h2 id="note-links-title" className="note-section__title">
          Linked marks
        </h2>
        {canEdit && (
          <Button variant="secondary" onClick={onAdd}>
            Link a mark
          </Button>
        )}
      </div>
      {unlink.error && <Alert tone="error">{asSentence(unlink.error.message)}</Alert>}
      {links.length === 0 ? (
        <p className="field__hint">No debrief marks linked{canEdit ? ' yet' : ' that you can see'}.</p>
      ) : (
        <ul className="note-links">
          {links.map((link) => (
            <li key={link.id} className="note-links__row">
              <Link to={markPath(link.exchangeId, { annotationId: link.markId })} className="note-links__mark">
                Mark on the {regionWithView(link.regionId)} · debrief, linked {formatDay(link.createdAt, 'medium')}
              </Link>
              <Link to={reviewRegionPath(link.regionId)} className="note-links__region">
                Body map
              </Link>
              {canEdit && (
                <Button
                  variant="ghost"
                  busy={unlink.isPending && unlink.variables === link.id}
                  onClick={() => unlink.mutate(link.id)}
                >
                  Unlink
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
