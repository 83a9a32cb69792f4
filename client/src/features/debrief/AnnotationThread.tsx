import type { ReplyInput, ThreadEntry } from '@kneadback/shared/schemas/annotation';
import type { Reaction } from '../../lib/collab/useDebriefDoc.ts';
import type { DebriefPeople } from './people.ts';
import { ReplyBox } from './ReplyBox.tsx';
import { ThreadEntryItem } from './ThreadEntryItem.tsx';

interface AnnotationThreadProps {
  entries: readonly ThreadEntry[];
  people: DebriefPeople;
  onReply: (input: ReplyInput) => boolean;
  onEdit: (entryId: string, text: string) => boolean;
  onDelete: (entryId: string) => void;
  onReact: (entryId: string, emoji: Reaction) => void;
}

/** The conversation about one mark, with status changes shown where they happened. */
export function AnnotationThread({ entries, people, onReply, onEdit, onDelete, onReact }: AnnotationThreadProps) {
  const replies = entries.filter((e) => e.kind === 'reply' && !e.deleted).length;
  return (
    <section className="annotation-thread" aria-label={`Discussion, ${replies} ${replies === 1 ? 'reply' : 'replies'}`}>
      <h4 className="annotation-thread__title">Discussion</h4>
      {entries.length > 0 && (
        <ol className="plain-list annotation-thread__entries">
          {entries.map((entry) => (
            <ThreadEntryItem
              key={entry.id}
              entry={entry}
              people={people}
              onEdit={(text) => onEdit(entry.id, text)}
              onDelete={() => onDelete(entry.id)}
              onReact={(emoji) => onReact(entry.id, emoji)}
            />
          ))}
        </ol>
      )}
      <ReplyBox partner={people.partner} onSend={onReply} />
    </section>
  );
}
