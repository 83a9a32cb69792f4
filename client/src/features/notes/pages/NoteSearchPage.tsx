import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { NOTE_KIND_LABELS, NOTE_KINDS, noteSearchQuerySchema } from '@kneadback/shared/schemas/note';
import { MODALITIES, MODALITY_LABELS } from '@kneadback/shared/vocabulary';
import { useAuth } from '../../../app/AuthProvider.tsx';
import { Button } from '../../../app/ui/Button.tsx';
import { SelectField, type Choice } from '../../../app/ui/SelectField.tsx';
import { LoadFailed, Loading } from '../../../app/ui/QueryStatus.tsx';
import { Spinner } from '../../../app/ui/Spinner.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useDraft } from '../../../lib/useDraft.ts';
import { NoteCard, Snippet } from '../NoteCard.tsx';
import { noteQueries } from '../noteApi.ts';
import { RegionOptions } from '../RegionOptions.tsx';
import '../notes.css';

/** The search's fields, named as the API names them, so the address reads like the request. */
const FIELDS = ['q', 'scope', 'kind', 'tag', 'modality', 'regionId', 'authorId', 'sort', 'page'] as const;
type Field = (typeof FIELDS)[number];

const SCOPES: Choice<string>[] = [
  { value: 'all', label: 'All I can read' },
  { value: 'mine', label: 'Mine' },
  { value: 'shared', label: 'Shared with me' },
  { value: 'community', label: 'Community' },
];
const KINDS: Choice<string>[] = [
  { value: '', label: 'Any kind' },
  ...NOTE_KINDS.map((k) => ({ value: k, label: NOTE_KIND_LABELS[k] })),
];
const MODALITY_OPTIONS: Choice<string>[] = [
  { value: '', label: 'Any modality' },
  ...MODALITIES.map((m) => ({ value: m, label: MODALITY_LABELS[m] })),
];
const SORTS: Choice<string>[] = [
  { value: 'relevance', label: 'Best match' },
  { value: 'recent', label: 'Most recent' },
];
const PAGE_SIZE = 20;

/** /notes/search — notes you may read, by words and filters, each showing the passage that matched. */
export function NoteSearchPage() {
  usePageTitle('Search notes');
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const value = (field: Field) => params.get(field) ?? '';
  const set = (field: Field, next: string) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (next) updated.set(field, next);
        else updated.delete(field);
        // A new search starts on its first page
        if (field !== 'page') updated.delete('page');
        return updated;
      },
      { replace: field !== 'page' },
    );
  const words = useDraft(value('q'), (q) => set('q', q.trim()), 300);

  const request = new URLSearchParams({ pageSize: String(PAGE_SIZE) });
  for (const field of FIELDS) if (value(field)) request.set(field, value(field));
  request.sort();
  // A value typed into the address that the API would refuse is named here rather than sent
  const checked = noteSearchQuerySchema.safeParse(Object.fromEntries(request));
  const results = useQuery({
    ...noteQueries.search(request.toString()),
    enabled: checked.success,
    placeholderData: keepPreviousData,
  });
  const ids = useId();
  const page = checked.success ? checked.data.page : 1;

  return (
    <div className="page stack notes-page">
      <p>
        <Link className="touch-link" to="/notes">
          ← Notes
        </Link>
      </p>
      <h1>Search notes</h1>
      <form
        className="note-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          words.flush();
        }}
      >
        <div className="field note-search__words">
          <label htmlFor={`${ids}-q`} className="field__label">
            Words
          </label>
          <input
            id={`${ids}-q`}
            type="search"
            className="field__input"
            value={words.draft}
            placeholder="e.g. thumbs rhomboids"
            maxLength={200}
            onChange={(e) => words.change(e.target.value)}
            onBlur={words.flush}
          />
        </div>
        <SelectField
          label="Notes"
          value={value('scope') || 'all'}
          options={SCOPES}
          onChange={(e) => set('scope', e.target.value === 'all' ? '' : e.target.value)}
        />
        <SelectField label="Kind" value={value('kind')} options={KINDS} onChange={(e) => set('kind', e.target.value)} />
        <SelectField
          label="Modality"
          value={value('modality')}
          options={MODALITY_OPTIONS}
          onChange={(e) => set('modality', e.target.value)}
        />
        <div className="field">
          <label htmlFor={`${ids}-region`} className="field__label">
            Body region
          </label>
          <select
            id={`${ids}-region`}
            className="field__input field__select"
            value={value('regionId')}
            onChange={(e) => set('regionId', e.target.value)}
          >
            <option value="">Any region</option>
            <RegionOptions withView />
          </select>
        </div>
        <TagFilter id={`${ids}-tag`} value={value('tag')} onChange={(v) => set('tag', v)} />
        <SelectField
          label="Written by"
          value={value('authorId')}
          options={[{ value: '', label: 'Anyone' }, ...(user ? [{ value: user.id, label: 'Me' }] : [])]}
          onChange={(e) => set('authorId', e.target.value)}
        />
        <SelectField
          label="Order"
          value={value('sort') || 'relevance'}
          options={SORTS}
          onChange={(e) => set('sort', e.target.value === 'relevance' ? '' : e.target.value)}
        />
      </form>

      <section aria-label="Results" aria-busy={results.isFetching || undefined} className="stack">
        {!checked.success ? (
          <p className="field__error" role="alert">
            This search cannot be run: {checked.error.issues[0]?.message ?? 'a filter is not valid'}.{' '}
            <Link className="touch-link" to="/notes/search">
              Start a new search
            </Link>
          </p>
        ) : results.isPending ? (
          <Loading what="matching notes" />
        ) : results.isError ? (
          <LoadFailed what="matching notes" query={results} />
        ) : (
          <>
            <p className="note-search__count" role="status">
              {results.data.total === 0
                ? 'No notes match. Try fewer words or filters.'
                : `${results.data.total} ${results.data.total === 1 ? 'note matches' : 'notes match'}`}
              {results.isFetching && <Spinner size="sm" />}
            </p>
            <ul className="note-list">
              {results.data.items.map((hit) => (
                <NoteCard key={hit.id} note={hit}>
                  {hit.snippet && <Snippet text={hit.snippet} highlights={hit.highlights} />}
                </NoteCard>
              ))}
            </ul>
            {results.data.total > PAGE_SIZE && (
              <nav className="note-search__pages" aria-label="Pages of notes">
                <Button variant="secondary" disabled={page <= 1} onClick={() => set('page', String(page - 1))}>
                  Previous
                </Button>
                <span>
                  Page {page} of {Math.ceil(results.data.total / PAGE_SIZE)}
                </span>
                <Button
                  variant="secondary"
                  disabled={page * PAGE_SIZE >= results.data.total}
                  onClick={() => set('page', String(page + 1))}
                >
                  Next
                </Button>
              </nav>
            )}
          </>
        )}
      </section>
    </div>
  );
}

/** A tag as typed ("stacked thumbs" finds the tag stacked-thumbs). */
function TagFilter({ id, value, onChange }: { id: string; value: string; onChange: (v: string) => void }) {
  const draft = useDraft(value, (typed) => onChange(typed.trim().toLowerCase().replace(/\s+/g, '-')), 400);
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        Tag
      </label>
      <input
        id={id}
        className="field__input"
        value={draft.draft}
        maxLength={40}
        onChange={(e) => draft.change(e.target.value)}
        onBlur={draft.flush}
      />
    </div>
  );
}
