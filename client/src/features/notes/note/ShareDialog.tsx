import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { NoteSharing, ShareRole } from '@kneadback/shared/schemas/note';
import { Alert } from '../../../app/ui/Alert.tsx';
import { LoadFailed, Loading } from '../../../app/ui/QueryStatus.tsx';
import { Spinner } from '../../../app/ui/Spinner.tsx';
import { asSentence } from '../../../lib/form-errors.ts';
import { Dialog } from '../Dialog.tsx';
import { noteQueries, usePublishNote, useShareNote } from '../noteApi.ts';

const ROLE_CHOICES: { value: ShareRole | ''; label: string }[] = [
  { value: '', label: 'No access' },
  { value: 'reader', label: 'Can read' },
  { value: 'editor', label: 'Can edit' },
];

/** The owner chooses who may read or edit, and whether every signed-in therapist may read it. */
export function ShareDialog({
  noteId,
  sharing,
  onClose,
}: {
  noteId: string;
  sharing: NoteSharing;
  onClose: () => void;
}) {
  const partners = useQuery(noteQueries.sharePartners());
  const share = useShareNote(noteId);
  const publish = usePublishNote(noteId);
  const publishId = useId();
  // What was just chosen shows at once, before the server has answered
  const [choosing, setChoosing] = useState<{ userId: string; role: ShareRole | null } | null>(null);
  const [publishing, setPublishing] = useState<boolean | null>(null);
  const roleOf = new Map(sharing.shares.map((s) => [s.user.id, s.role]));
  const error = share.error ?? publish.error;

  return (
    <Dialog title="Share this note" onClose={onClose}>
      <p className="field__hint">
        Private until you share it. Changing or taking back someone's access applies at once, also on a page they have
        open.
      </p>
      {error && <Alert tone="error">{asSentence(error.message)}</Alert>}
      <h3 className="note-dialog__subtitle">Exchange partners</h3>
      {partners.isPending ? (
        <Loading what="your partners" />
      ) : partners.isError ? (
        <LoadFailed what="your partners" query={partners} />
      ) : partners.data.partners.length === 0 ? (
        <p>You can share with people you have traded with. Once you have an exchange, your partner appears here.</p>
      ) : (
        <ul className="share-list">
          {partners.data.partners.map((partner) => {
            const busy = choosing?.userId === partner.id;
            return (
              <li key={partner.id} className="share-list__row">
                <label htmlFor={`${publishId}-${partner.id}`} className="share-list__name">
                  {partner.displayName}
                </label>
                <select
                  id={`${publishId}-${partner.id}`}
                  className="field__input field__select share-list__role"
                  value={busy ? (choosing.role ?? '') : (roleOf.get(partner.id) ?? '')}
                  disabled={busy}
                  onChange={(e) => {
                    const choice = { userId: partner.id, role: (e.target.value || null) as ShareRole | null };
                    setChoosing(choice);
                    share.mutate(choice, { onSettled: () => setChoosing(null) });
                  }}
                >
                  {ROLE_CHOICES.map((c) => (
                    <option key={c.value} value={c.value}>
                      {c.label}
                    </option>
                  ))}
                </select>
                {busy && <Spinner size="sm" label="Saving" />}
              </li>
            );
          })}
        </ul>
      )}
      <h3 className="note-dialog__subtitle">Community library</h3>
      <label className="choice" htmlFor={publishId}>
        <input
          id={publishId}
          type="checkbox"
          className="choice__input"
          checked={publishing ?? sharing.published}
          disabled={publishing !== null}
          onChange={(e) => {
            setPublishing(e.target.checked);
            publish.mutate(e.target.checked, { onSettled: () => setPublishing(null) });
          }}
        />
        <span>Publish to the community: every signed-in therapist can read it, mark it helpful and ask questions</span>
      </label>
      {sharing.published && (
        <p className="field__hint">Check it names no client: no names, dates or details that point to one person.</p>
      )}
    </Dialog>
  );
}
