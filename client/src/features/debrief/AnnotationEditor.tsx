import { useState } from 'react';
import type { Annotation, AnnotationPatch } from '@kneadback/shared/schemas/annotation';
import type { Category } from '@kneadback/shared/vocabulary';
import { Button } from '../../app/ui/Button.tsx';
import { markPlace } from './annotationText.ts';
import { CategoryPicker } from './CategoryPicker.tsx';
import { formatMoment } from './formatTime.ts';
import { NoteField } from './NoteField.tsx';
import type { DebriefPeople } from './people.ts';
import { loadCustomTags, rememberCustomTag, saveLastCategory } from './preferences.ts';
import { PressureFields } from './PressureFields.tsx';
import { TagPicker } from './TagPicker.tsx';

interface AnnotationEditorProps {
  annotation: Annotation;
  people: DebriefPeople;
  /** Why this person may not delete the mark, or null when they may. */
  deleteBlockedReason: string | null;
  onChange: (patch: AnnotationPatch) => void;
  onToggleStatus: () => void;
  onDelete: () => void;
  headingId: string;
}

/** Every field of a mark; each change goes straight into the shared document. */
export function AnnotationEditor({
  annotation,
  people,
  deleteBlockedReason,
  onChange,
  onToggleStatus,
  onDelete,
  headingId,
}: AnnotationEditorProps) {
  const meId = people.me.id;
  const [customTags, setCustomTags] = useState(() => loadCustomTags(meId));
  const resolved = annotation.status === 'resolved';

  function changeCategory(category: Category) {
    saveLastCategory(meId, category);
    onChange({ category });
  }

  return (
    <section className="annotation-editor" aria-labelledby={headingId}>
      <header className="annotation-editor__head">
        {/* The row just above shows the place; the heading names the form for screen readers */}
        <h3 id={headingId} className="visually-hidden">
          Mark details: {markPlace(annotation)}
        </h3>
        <p className="annotation-editor__meta">
          {people.nameOf(annotation.authorId)} · {formatMoment(annotation.createdAt)}
          {annotation.updatedAt > annotation.createdAt + 1000 && <> · changed {formatMoment(annotation.updatedAt)}</>}
          {resolved && annotation.statusChangedBy && (
            <> · resolved by {people.nameOf(annotation.statusChangedBy).replace(/^You$/, 'you')}</>
          )}
        </p>
      </header>

      <CategoryPicker value={annotation.category} onChange={changeCategory} />
      {annotation.category === 'pressure' && <PressureFields annotation={annotation} onChange={onChange} />}
      <TagPicker
        category={annotation.category}
        tags={annotation.tags}
        customTags={customTags}
        onChange={(tags) => onChange({ tags })}
        onCoin={(tag) => setCustomTags(rememberCustomTag(meId, tag))}
      />
      <NoteField value={annotation.text} onCommit={(text) => onChange({ text })} />

      <div className="annotation-editor__actions">
        <Button variant={resolved ? 'secondary' : 'primary'} onClick={onToggleStatus}>
          {resolved ? 'Reopen' : 'Resolve'}
        </Button>
        {deleteBlockedReason === null ? (
          <Button variant="ghost" className="button--danger-text" onClick={onDelete}>
            Delete mark
          </Button>
        ) : (
          <p className="field__hint annotation-editor__why">{deleteBlockedReason}</p>
        )}
      </div>
    </section>
  );
}
