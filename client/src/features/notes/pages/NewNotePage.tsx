import { useId, useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { regionById } from '@kneadback/shared/body/index';
import {
  createNoteBodySchema,
  MAX_NOTE_TITLE,
  NOTE_KIND_LABELS,
  NOTE_KINDS,
  type CreateNoteBody,
  type NoteKind,
} from '@kneadback/shared/schemas/note';
import { Alert } from '../../../app/ui/Alert.tsx';
import { Button } from '../../../app/ui/Button.tsx';
import { TextField } from '../../../app/ui/TextField.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { asSentence } from '../../../lib/form-errors.ts';
import { notePath } from '../../../lib/links.ts';
import { originFromParams } from '../newNoteLink.ts';
import { useCreateNote } from '../noteApi.ts';
import '../notes.css';

const KIND_HINTS: Record<NoteKind, string> = {
  technique: 'A stroke or approach: modality, body regions, steps.',
  situation: 'A hard moment with a client: what happened, what helped, what to try next.',
  lesson: 'Something a partner taught you, and whether they are certified to teach it.',
};

/** /notes/new — choose the kind (and a title); the note opens right after, ready to write in. */
export function NewNotePage() {
  usePageTitle('New note');
  const [params] = useSearchParams();
  const origin = useMemo(() => {
    const parsed = createNoteBodySchema.shape.from.safeParse(originFromParams(params));
    return parsed.success ? parsed.data : undefined;
  }, [params]);
  const [kind, setKind] = useState<NoteKind>('technique');
  const [title, setTitle] = useState('');
  const create = useCreateNote();
  const navigate = useNavigate();
  const kindName = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    const body: CreateNoteBody = {
      kind,
      ...(title.trim() && { title: title.trim() }),
      ...(origin && { from: origin }),
    };
    create.mutate(body, { onSuccess: ({ note }) => navigate(notePath(note.id), { replace: true }) });
  }

  return (
    <div className="page page--narrow stack">
      <p>
        <Link className="touch-link" to="/notes">
          ← Notes
        </Link>
      </p>
      <h1>New note</h1>
      {origin && <OriginNotice origin={origin} />}
      <form className="stack" noValidate onSubmit={submit}>
        {create.error && <Alert tone="error">{asSentence(create.error.message)}</Alert>}
        <fieldset className="choice-group">
          <legend className="field__label">What kind of note?</legend>
          <div className="choice-group__options note-kinds">
            {NOTE_KINDS.map((k) => (
              <label key={k} className="choice note-kinds__choice">
                <input
                  type="radio"
                  className="choice__input"
                  name={kindName}
                  checked={kind === k}
                  onChange={() => setKind(k)}
                />
                <span>
                  <strong>{NOTE_KIND_LABELS[k]}</strong>
                  <span className="note-kinds__hint">{KIND_HINTS[k]}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <TextField
          label="Title"
          hint={origin ? 'Leave it empty to start from a suggested title.' : 'You can change it any time.'}
          value={title}
          maxLength={MAX_NOTE_TITLE}
          onChange={(e) => setTitle(e.target.value)}
        />
        <p className="field__hint">
          Notes are private until you share them. Never write anything that could identify a client.
        </p>
        <div>
          <Button type="submit" busy={create.isPending}>
            Create note
          </Button>
        </div>
      </form>
    </div>
  );
}

function OriginNotice({ origin }: { origin: NonNullable<CreateNoteBody['from']> }) {
  if (origin.type === 'mark') {
    return (
      <Alert tone="info">
        This note will be linked to the mark you came from, with the mark's words quoted at the top.
      </Alert>
    );
  }
  const region = regionById(origin.regionId)?.label ?? 'this region';
  const times = origin.count ? `, ${origin.count} ${origin.count === 1 ? 'time' : 'times'}` : '';
  return (
    <Alert tone="info">
      Starts from your Review pattern: {region}
      {times}.
    </Alert>
  );
}
