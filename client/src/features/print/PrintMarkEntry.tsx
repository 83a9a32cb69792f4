import type { Annotation, ThreadEntry } from '@kneadback/shared/schemas/annotation';
import { CATEGORY_LABELS, tagLabel } from '@kneadback/shared/vocabulary';
import { MarkIcon } from '../debrief/body-map/index.ts';
import {
  formatPrintMoment,
  markPlace,
  pressureSummary,
  reactionSummary,
  statusText,
  type PrintPeople,
} from './printText.ts';

interface PrintMarkEntryProps {
  mark: Annotation;
  n: number;
  entries: readonly ThreadEntry[];
  people: PrintPeople;
}

/** One numbered mark with everything said about it, kept on one page where it fits. */
export function PrintMarkEntry({ mark, n, entries, people }: PrintMarkEntryProps) {
  const place = markPlace(mark);
  const pressure = pressureSummary(mark);
  const resolved = mark.status === 'resolved';
  const replyCount = entries.filter((e) => e.kind === 'reply').length;

  return (
    <li className="print-mark" value={n}>
      <article aria-labelledby={`print-mark-${mark.id}`}>
        <h4 className="print-mark__heading" id={`print-mark-${mark.id}`}>
          <span className="print-mark__number" aria-hidden="true">
            {n}
          </span>
          <MarkIcon
            className="print-mark__icon"
            category={mark.category}
            resolved={resolved}
            value={mark.category === 'pressure' ? mark.pressure : null}
            size={22}
          />
          <span className="visually-hidden">Mark {n}: </span>
          <span className="print-mark__region">{place.region}</span>
          <span className="print-mark__view">{place.view}</span>
          <span className="print-mark__category">{CATEGORY_LABELS[mark.category]}</span>
        </h4>

        <dl className="print-mark__facts">
          {pressure && (
            <div>
              <dt>Pressure</dt>
              <dd>{pressure}</dd>
            </div>
          )}
          {mark.tags.length > 0 && (
            <div>
              <dt>Tags</dt>
              <dd>
                <ul className="print-mark__tags">
                  {mark.tags.map((t) => (
                    <li key={t}>{tagLabel(t)}</li>
                  ))}
                </ul>
              </dd>
            </div>
          )}
          <div>
            <dt>Marked by</dt>
            <dd>
              {people.nameOf(mark.authorId)}, {formatPrintMoment(mark.createdAt)}
            </dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd className={resolved ? 'print-mark__status is-resolved' : 'print-mark__status'}>
              {statusText(mark, people)}
            </dd>
          </div>
        </dl>

        {mark.text.trim() !== '' && <p className="print-mark__text">{mark.text}</p>}

        {entries.length > 0 && (
          <section className="print-thread" aria-label={`Thread of mark ${n}`}>
            <h5 className="print-thread__heading">
              Thread{replyCount > 0 && ` · ${replyCount} ${replyCount === 1 ? 'reply' : 'replies'}`}
            </h5>
            <ol className="print-thread__entries">
              {entries.map((entry) => (
                <PrintThreadEntry key={entry.id} entry={entry} people={people} />
              ))}
            </ol>
          </section>
        )}
      </article>
    </li>
  );
}

function PrintThreadEntry({ entry, people }: { entry: ThreadEntry; people: PrintPeople }) {
  const author = people.nameOf(entry.authorId);
  const when = <time dateTime={new Date(entry.createdAt).toISOString()}>{formatPrintMoment(entry.createdAt)}</time>;

  if (entry.kind !== 'reply') {
    return (
      <li className="print-thread__event">
        <span aria-hidden="true">{entry.kind === 'resolved' ? '✓ ' : '↺ '}</span>
        {author} {entry.kind === 'resolved' ? 'resolved this' : 'reopened this'} · {when}
      </li>
    );
  }

  const reactions = entry.deleted ? null : reactionSummary(entry);
  return (
    <li className="print-thread__reply">
      <p className="print-thread__meta">
        <strong>{author}</strong> · {when}
        {entry.editedAt !== null && !entry.deleted && (
          <span className="print-thread__flag"> · edited {formatPrintMoment(entry.editedAt)}</span>
        )}
      </p>
      {entry.deleted ? (
        <p className="print-thread__deleted">Reply deleted</p>
      ) : (
        <p className="print-thread__text">{entry.text}</p>
      )}
      {reactions && <p className="print-thread__reactions">Reactions: {reactions}</p>}
    </li>
  );
}
