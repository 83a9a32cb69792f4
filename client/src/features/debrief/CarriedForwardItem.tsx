import { useState } from 'react';
import { Link } from 'react-router-dom';
import { formatDay } from '@kneadback/shared/format/days';
import type { CritiqueView } from '@kneadback/shared/schemas/review';
import { CATEGORY_LABELS, tagLabel } from '@kneadback/shared/vocabulary';
import { Button } from '../../app/ui/Button.tsx';
import { markPath } from '../../lib/links.ts';
import { placeLabel, pressureSummary } from './annotationText.ts';
import { MarkIcon } from './body-map/index.ts';
import type { DebriefPeople } from './people.ts';

interface CarriedForwardItemProps {
  item: CritiqueView;
  people: DebriefPeople;
  /** Rejects with the reason in words; on success the item leaves the list. */
  onResolve: () => Promise<void>;
}

export function CarriedForwardItem({ item, people, onResolve }: CarriedForwardItemProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const place = placeLabel(item.regionId, item.view);
  const category = CATEGORY_LABELS[item.category];
  const pressure = item.category === 'pressure' ? pressureSummary(item) : null;
  const author = people.nameOf(item.authorId);
  // Which mark, for the buttons' spoken names: several items read "Resolved now" otherwise
  const which = `: ${category} on ${place}`;

  async function resolve() {
    setBusy(true);
    setError(null);
    try {
      await onResolve();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'It could not be marked resolved. Try again.');
      setBusy(false);
    }
  }

  return (
    <li className="carried-item">
      <p className="carried-item__head">
        <MarkIcon category={item.category} size={24} />
        <span className="carried-item__category">{category}</span>
        <span className="carried-item__place">{place}</span>
      </p>
      {pressure && <p className="carried-item__detail">{pressure}</p>}
      {item.tags.length > 0 && <p className="carried-item__detail">{item.tags.map(tagLabel).join(', ')}</p>}
      {item.text && <p className="carried-item__text">{item.text}</p>}
      <p className="carried-item__meta">
        Exchange of <time dateTime={item.exchangeDate}>{formatDay(item.exchangeDate, 'medium')}</time> · round{' '}
        {item.round} · noted by {author === 'You' ? 'you' : author}
      </p>
      <div className="carried-item__actions">
        <Button variant="secondary" busy={busy} onClick={resolve}>
          Resolved now<span className="visually-hidden">{which}</span>
        </Button>
        <Link className="button button--ghost" to={markPath(item.exchangeId, item)}>
          <span>
            Open<span className="visually-hidden">{which}, in its debrief</span>
          </span>
        </Link>
      </div>
      {error && (
        <p className="field__error carried-item__error" role="alert">
          <span className="field__error-icon" aria-hidden="true">
            !
          </span>
          {error}
        </p>
      )}
    </li>
  );
}
