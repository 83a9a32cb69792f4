import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { MAX_VERSION_NAME, type NoteVersion } from '@kneadback/shared/schemas/note';
import { Alert } from '../../../app/ui/Alert.tsx';
import { Button } from '../../../app/ui/Button.tsx';
import { LoadFailed, Loading } from '../../../app/ui/QueryStatus.tsx';
import { TextField } from '../../../app/ui/TextField.tsx';
import { useToast } from '../../../app/ui/Toast.tsx';
import { cx } from '../../../app/ui/cx.ts';
import { asSentence } from '../../../lib/form-errors.ts';
import { Dialog } from '../Dialog.tsx';
import { formatDateTime } from '../../review/labels.ts';
import { noteQueries, useDeleteVersion, useNameVersion, useRestoreVersion } from '../noteApi.ts';

interface HistoryDialogProps {
  noteId: string;
  /** Only the owner deletes named versions: they count against the owner's storage. */
  isOwner: boolean;
  onClose: () => void;
}

const versionName = (v: NoteVersion) => v.name ?? 'Automatic version';

/**
 * Named and automatic versions: look at one, compare it with now, bring it back. Offered only to
 * those who may change the note (maySeeNoteHistory), so naming and restoring are theirs to do.
 */
export function HistoryDialog({ noteId, isOwner, onClose }: HistoryDialogProps) {
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <Dialog title="History" onClose={onClose}>
      {openId ? (
        <VersionView
          noteId={noteId}
          versionId={openId}
          isOwner={isOwner}
          onBack={() => setOpenId(null)}
          onRestored={onClose}
        />
      ) : (
        <VersionList noteId={noteId} onOpen={setOpenId} />
      )}
    </Dialog>
  );
}

function VersionList({ noteId, onOpen }: { noteId: string; onOpen: (id: string) => void }) {
  const versions = useQuery(noteQueries.versions(noteId));
  return (
    <div className="stack">
      <NameVersionForm noteId={noteId} />
      {versions.isPending ? (
        <Loading what="the versions" />
      ) : versions.isError ? (
        <LoadFailed what="the versions" query={versions} />
      ) : versions.data.versions.length === 0 ? (
        <p>No versions yet. One is kept automatically every ten minutes of editing, and whenever you name one.</p>
      ) : (
        <ul className="version-list">
          {versions.data.versions.map((v) => (
            <li key={v.id}>
              <button type="button" className="version-list__item" onClick={() => onOpen(v.id)}>
                <span className={cx('version-list__name', v.auto && 'version-list__name--auto')}>{versionName(v)}</span>
                <span className="version-list__when">
                  {formatDateTime(v.createdAt)}
                  {v.createdBy && ` · ${v.createdBy.displayName}`}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function NameVersionForm({ noteId }: { noteId: string }) {
  const [name, setName] = useState('');
  const save = useNameVersion(noteId);
  const toast = useToast();
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(name.trim(), {
      onSuccess: () => {
        setName('');
        toast('Version saved.', 'success');
      },
    });
  }
  return (
    <form className="version-name" onSubmit={submit} noValidate>
      <TextField
        label="Name this version"
        hint="Keeps the note as it is now, to come back to."
        value={name}
        maxLength={MAX_VERSION_NAME}
        error={save.error ? asSentence(save.error.message) : undefined}
        onChange={(e) => setName(e.target.value)}
      />
      <Button type="submit" variant="secondary" busy={save.isPending} disabled={!name.trim()}>
        Save version
      </Button>
    </form>
  );
}

interface VersionViewProps {
  noteId: string;
  versionId: string;
  isOwner: boolean;
  onBack: () => void;
  onRestored: () => void;
}

function VersionView({ noteId, versionId, isOwner, onBack, onRestored }: VersionViewProps) {
  const [comparing, setComparing] = useState(false);
  const version = useQuery(noteQueries.version(noteId, versionId));
  const restore = useRestoreVersion(noteId);
  const remove = useDeleteVersion(noteId);
  const toast = useToast();

  function doDelete() {
    remove.mutate(versionId, {
      onSuccess: () => {
        toast('Version deleted: its space is free again.', 'success');
        onBack();
      },
    });
  }

  function doRestore() {
    restore.mutate(versionId, {
      onSuccess: () => {
        toast(
          'Version restored: everyone with the note open sees it now. The text before is kept in the history.',
          'success',
        );
        onRestored();
      },
    });
  }

  return (
    <div className="stack">
      <div>
        <Button variant="ghost" onClick={onBack}>
          ← All versions
        </Button>
      </div>
      {version.isPending ? (
        <Loading what="this version" />
      ) : version.isError ? (
        <LoadFailed what="this version" query={version} />
      ) : (
        <>
          <p className="version-view__about">
            <strong>{versionName(version.data.version)}</strong> · {formatDateTime(version.data.version.createdAt)}
          </p>
          <div className="version-view__actions">
            <Button variant="secondary" aria-pressed={comparing} onClick={() => setComparing((c) => !c)}>
              {comparing ? 'Show this version' : 'Compare with now'}
            </Button>
            <Button busy={restore.isPending} onClick={doRestore}>
              Restore this version
            </Button>
            {isOwner && !version.data.version.auto && (
              <Button variant="danger" busy={remove.isPending} onClick={doDelete}>
                Delete this version
              </Button>
            )}
          </div>
          {restore.error && <Alert tone="error">{asSentence(restore.error.message)}</Alert>}
          {remove.error && <Alert tone="error">{asSentence(remove.error.message)}</Alert>}
          {comparing ? (
            <Comparison noteId={noteId} versionId={versionId} />
          ) : (
            <pre className="version-view__text" aria-label="This version, read-only">
              {version.data.markdown}
            </pre>
          )}
        </>
      )}
    </div>
  );
}

function Comparison({ noteId, versionId }: { noteId: string; versionId: string }) {
  const compare = useQuery(noteQueries.compare(noteId, versionId));
  if (compare.isPending) return <Loading what="the comparison" />;
  if (compare.isError) return <LoadFailed what="the comparison" query={compare} />;
  const changed = compare.data.diff.some((part) => part.op !== 'same');
  return (
    <div className="stack">
      <p className="field__hint">
        {changed ? (
          <>
            <span className="diff-key diff-key--removed">Struck through</span>: only in this version.{' '}
            <span className="diff-key diff-key--added">Underlined</span>: only in the note now.
          </>
        ) : (
          'This version reads the same as the note now.'
        )}
      </p>
      <div className="version-diff" aria-label="This version compared with now">
        {compare.data.diff.map((part, i) =>
          part.op === 'same' ? (
            <span key={i} className="version-diff__same">
              {part.text}
            </span>
          ) : part.op === 'removed' ? (
            <del key={i} className="version-diff__removed">
              {part.text}
            </del>
          ) : (
            <ins key={i} className="version-diff__added">
              {part.text}
            </ins>
          ),
        )}
      </div>
    </div>
  );
}
