import { useId, useState } from 'react';
import { Link } from 'react-router-dom';
import { BODY_VIEW_LABELS, regionLabel } from '@kneadback/shared/body/index';
import type { CritiqueView } from '@kneadback/shared/schemas/review';
import { formatDay } from '@kneadback/shared/format/days';
import { tagLabel } from '@kneadback/shared/vocabulary';
import { cx } from '../../app/ui/cx.ts';
import { markPath } from '../../lib/links.ts';
import { CategoryMark, categoryLabel } from './CategoryMark.tsx';
import { pressureSummary } from '../debrief/annotationText.ts';
import { formatDateTime } from './labels.ts';

type ThreadEntry = CritiqueView['thread'][number];

export function CritiqueCard({ critique, myId }: { critique: CritiqueView; myId: string }) {
  const [threadOpen, setThreadOpen] = useState(false);
  const threadId = useId();
  const partnerName = critique.partner?.displayName ?? 'your partner';
  const nameOf = (userId: string) =>
    userId === myId ? 'You' : userId === critique.partner?.id ? critique.partner.displayName : 'A former partner';
  const pressure = pressureSummary(critique);
  const region = regionLabel(critique.regionId);
  const view = BODY_VIEW_LABELS[critique.view];

  return (
    <li className="card card--compact critique">
      <div className="spread-row critique__top">
        <span className="critique__category">
          <CategoryMark category={critique.category} />
          {categoryLabel(critique.category)}
        </span>
        <span className={cx('critique__status', `critique__status--${critique.status}`)}>
          {critique.status === 'resolved' ? (
            <>
              <span aria-hidden="true">✓ </span>Resolved
            </>
          ) : (
            'Open'
          )}
        </span>
      </div>

      <h3 className="critique__place">
        {region} <span className="critique__view">· {view}</span>
      </h3>

      {pressure && <p className="critique__pressure">{pressure}</p>}

      {critique.tags.length > 0 && (
        <ul className="critique__tags" aria-label="Tags">
          {critique.tags.map((tag) => (
            <li key={tag} className="critique__tag">
              {tagLabel(tag)}
            </li>
          ))}
        </ul>
      )}

      {critique.text && <p className="critique__text">{critique.text}</p>}

      <p className="critique__meta">
        <span className="critique__role">{critique.role === 'given' ? 'You gave' : 'You received'}</span>
        {critique.role === 'given' ? ` to ${partnerName}` : ` from ${partnerName}`}
        {' · '}Round {critique.round}
        {' · '}
        <time dateTime={critique.exchangeDate}>{formatDay(critique.exchangeDate, 'short')}</time>
        {' · '}Noted by {nameOf(critique.authorId).replace(/^You$/, 'you')}
      </p>

      <div className="critique__actions">
        {critique.thread.length > 0 ? (
          <button
            type="button"
            className="critique__thread-toggle"
            aria-expanded={threadOpen}
            aria-controls={threadId}
            onClick={() => setThreadOpen((o) => !o)}
          >
            <span className="chevron" aria-hidden="true" />
            {threadOpen ? 'Hide thread' : 'Show thread'} ({replyCountLabel(critique.replyCount)})
          </button>
        ) : (
          <span className="critique__no-replies">No replies</span>
        )}
        <Link className="critique__open" to={markPath(critique.exchangeId, critique)}>
          Open in debrief
          <span className="visually-hidden">
            : {categoryLabel(critique.category)} on {region}, {view.toLowerCase()}
          </span>
        </Link>
      </div>

      {threadOpen && (
        <ol id={threadId} className="critique__thread" aria-label="Thread">
          {critique.thread.map((entry) => (
            <ThreadItem key={entry.id} entry={entry} author={nameOf(entry.authorId)} />
          ))}
        </ol>
      )}
    </li>
  );
}

function ThreadItem({ entry, author }: { entry: ThreadEntry; author: string }) {
  const time = (
    <time className="critique__entry-time" dateTime={entry.createdAt}>
      {formatDateTime(entry.createdAt)}
    </time>
  );
  if (entry.kind !== 'reply') {
    return (
      <li className="critique__entry critique__entry--status">
        {author} {entry.kind === 'resolved' ? 'marked this resolved' : 'reopened this'} · {time}
      </li>
    );
  }
  return (
    <li className="critique__entry">
      <p className="critique__entry-head">
        <span className="critique__entry-author">{author}</span> · {time}
        {entry.editedAt && !entry.deleted && ' · edited'}
      </p>
      {entry.deleted ? (
        <p className="critique__entry-text critique__entry-text--deleted">Reply deleted</p>
      ) : (
        <p className="critique__entry-text">{entry.text}</p>
      )}
    </li>
  );
}

function replyCountLabel(count: number): string {
  return count === 1 ? '1 reply' : `${count} replies`;
}
