import { lazy, Suspense, useCallback, useEffect, useId, useState } from 'react';
import { Link } from 'react-router-dom';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { presenceUser } from '@kneadback/shared/docs/presence';
import { MAX_NOTE_TITLE, mayEditNote, maySeeNoteHistory, type NoteView } from '@kneadback/shared/schemas/note';
import type { CurrentUser } from '@kneadback/shared/schemas/user';
import { Button } from '../../../app/ui/Button.tsx';
import { Loading } from '../../../app/ui/QueryStatus.tsx';
import { useToast } from '../../../app/ui/Toast.tsx';
import { NoteConnectionStatus } from '../live/NoteConnectionStatus.tsx';
import { NotePeople } from '../live/NotePeople.tsx';
import { useNoteDoc } from '../live/useNoteDoc.ts';
import { useNotePeers } from '../live/useNotePeers.ts';
import { accessLabel, kindLabel } from '../noteLabels.ts';
import { useMarkOpened } from '../noteApi.ts';
import { CommunityPanel } from './CommunityPanel.tsx';
import { DraftText } from './DraftText.tsx';
import { downloadMarkdown } from './exportNote.ts';
import { HistoryDialog } from './HistoryDialog.tsx';
import { KindFields } from './KindFields.tsx';
import { LinkedMarks } from './LinkedMarks.tsx';
import { LinkMarkDialog } from './LinkMarkDialog.tsx';
import { RegionsField } from './RegionsField.tsx';
import { ShareDialog } from './ShareDialog.tsx';
import { TagsField } from './TagsField.tsx';

// Tiptap and ProseMirror are most of this page's weight: the header and fields show while they load
const NoteBodyEditor = lazy(() => import('../editor/NoteBodyEditor.tsx').then((m) => ({ default: m.NoteBodyEditor })));

type OpenDialog = 'share' | 'history' | 'link' | null;

interface NoteWorkspaceProps {
  note: NoteView;
  me: CurrentUser;
  /** The server closed the note to this person (access revoked, or the note is gone). */
  onRevoked: () => void;
}

/** One open note: live title, fields and body with everyone's carets, and what can be done with it. */
export function NoteWorkspace({ note, me, onRevoked }: NoteWorkspaceProps) {
  const toast = useToast();
  const onError = useCallback((message: string) => toast(message, 'error'), [toast]);
  const live = useNoteDoc(note.id, onError);
  const peers = useNotePeers(live.session?.provider ?? null);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const bodyLabel = useId();
  const canEdit = mayEditNote(note.access);
  const { fields, setField, fragment, session } = live;
  const closeCode = live.connection.state === 'refused' ? live.connection.closeCode : null;

  useEffect(() => {
    if (closeCode === CollabCloseCode.forbidden || closeCode === CollabCloseCode.notFound) onRevoked();
  }, [closeCode, onRevoked]);
  useMarkOpened(note.id);

  const title = fields?.title ?? note.title;
  const caretUser = presenceUser({ id: me.id, name: me.displayName });

  return (
    <article className="page stack note-page">
      <p className="note-page__back">
        <Link className="touch-link" to="/notes">
          ← Notes
        </Link>
      </p>
      <header className="note-page__head">
        <p className="note-page__kind">
          {kindLabel(note.kind)} · {accessLabel(note)}
          {note.published && ' · published to the community'}
        </p>
        {canEdit ? (
          <>
            <h1 className="visually-hidden">{title.trim() || 'Untitled note'}</h1>
            <DraftText
              className="note-title"
              label="Title"
              value={title}
              maxLength={MAX_NOTE_TITLE}
              onCommit={(value) => setField('title', value)}
            />
          </>
        ) : (
          <h1 className="note-page__title">{title.trim() || 'Untitled note'}</h1>
        )}
        <div className="note-page__live">
          <NoteConnectionStatus connection={live.connection} />
          <NotePeople peers={peers} myId={me.id} />
        </div>
        {!canEdit && (
          <p className="note-page__readonly">
            You can read this note. Only {note.author.displayName} and the partners they chose can change it.
          </p>
        )}
        <div className="note-page__actions">
          {note.access === 'owner' && (
            <Button variant="secondary" onClick={() => setDialog('share')}>
              Share
            </Button>
          )}
          {maySeeNoteHistory(note.access) && (
            <Button variant="secondary" onClick={() => setDialog('history')}>
              History
            </Button>
          )}
          <Button
            variant="secondary"
            disabled={!session || !fields}
            onClick={() => session && downloadMarkdown(session.doc, title)}
          >
            Export Markdown
          </Button>
          <Button variant="secondary" onClick={() => window.print()}>
            Print
          </Button>
        </div>
      </header>

      {fields ? (
        <section className="note-section note-section--fields" aria-label="About this note">
          <KindFields fields={fields} canEdit={canEdit} setField={setField} teacherCertified={note.teacherCertified} />
          <RegionsField regions={fields.regions} canEdit={canEdit} onChange={(next) => setField('regions', next)} />
          <TagsField tags={fields.tags} canEdit={canEdit} onChange={(next) => setField('tags', next)} />
        </section>
      ) : (
        <Loading what="the note" />
      )}

      <section className="note-section" aria-labelledby={bodyLabel}>
        <h2 id={bodyLabel} className="note-section__title">
          Note
        </h2>
        {fragment && session ? (
          <Suspense fallback={<Loading what="the editor" />}>
            <NoteBodyEditor
              fragment={fragment}
              provider={session.provider}
              user={caretUser}
              editable={canEdit}
              labelledBy={bodyLabel}
            />
          </Suspense>
        ) : (
          <Loading what="the note" />
        )}
      </section>

      <LinkedMarks noteId={note.id} links={note.links} canEdit={canEdit} onAdd={() => setDialog('link')} />
      {note.published && <CommunityPanel note={note} />}

      {dialog === 'share' && note.sharing && (
        <ShareDialog noteId={note.id} sharing={note.sharing} onClose={() => setDialog(null)} />
      )}
      {dialog === 'history' && (
        <HistoryDialog noteId={note.id} isOwner={note.access === 'owner'} onClose={() => setDialog(null)} />
      )}
      {dialog === 'link' && <LinkMarkDialog noteId={note.id} links={note.links} onClose={() => setDialog(null)} />}
    </article>
  );
}
