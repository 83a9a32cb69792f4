import { Link } from 'react-router-dom';
import type { NoteMarkLink } from '@kneadback/shared/schemas/note';
import { Alert } from '../../../app/ui/Alert.tsx';
import { Button } from '../../../app/ui/Button.tsx';
import { asSentence } from '../../../lib/form-errors.ts';
import { formatDay, regionName } from '../noteLabels.ts';
import { useUnlinkMark } from '../noteApi.ts';
import { regionHref } from './RegionsField.tsx';

/** The debrief the mark is in, opened at the mark. */
const markHref = (link: NoteMarkLink) =>
  `/debriefs/${encodeURIComponent(link.exchangeId)}?${new URLSearchParams({ annotation: link.markId }).toString()}`;

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
              <Link to={markHref(link)} className="note-links__mark">
                Mark on the {regionName(link.regionId)} · debrief, linked {formatDay(link.createdAt)}
              </Link>
              <Link to={regionHref(link.regionId)} className="note-links__region">
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
