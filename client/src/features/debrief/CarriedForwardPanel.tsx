import { memo, useId, useState } from 'react';
import type { CritiqueView } from '@kneadback/shared/schemas/review';
import { LoadFailed } from '../../app/ui/QueryStatus.tsx';
import { useToast } from '../../app/ui/Toast.tsx';
import { asSentence } from '../../lib/form-errors.ts';
import { placeLabel } from './annotationText.ts';
import { CarriedForwardItem } from './CarriedForwardItem.tsx';
import { groupByGiver } from './carriedForward.ts';
import { itemKey, useCarriedForward, useResolveCarriedForward } from './debriefQueries.ts';
import type { DebriefPeople } from './people.ts';
import './carriedForward.css';

interface CarriedForwardPanelProps {
  exchangeId: string;
  people: DebriefPeople;
}

/**
 * "From your last exchange": the points still open from earlier debriefs between the same two
 * partners, grouped by whose technique they are about, each to resolve now or open where it was made.
 * Shown only when there is something to follow up (or the list could not be loaded). Memoised: the
 * partner's pointer re-renders the page many times a second.
 */
export const CarriedForwardPanel = memo(function CarriedForwardPanel({ exchangeId, people }: CarriedForwardPanelProps) {
  const query = useCarriedForward(exchangeId);
  const resolution = useResolveCarriedForward(exchangeId);
  const [expanded, setExpanded] = useState(true);
  const toast = useToast();
  const titleId = useId();
  const bodyId = useId();

  const items = query.data;
  if (query.isPending || items?.length === 0) return null;

  const count = items?.length ?? 0;
  const groups = items ? groupByGiver(items, people) : [];

  /** Rejects with the reason in words, for the item to show beside its button. */
  async function resolve(item: CritiqueView) {
    try {
      await resolution.mutateAsync(item);
    } catch (err) {
      throw new Error(asSentence((err as Error).message), { cause: err });
    }
    toast(`Resolved: ${placeLabel(item.regionId, item.view)}. It is off the list.`, 'success');
  }

  return (
    <section className="carried-forward" aria-labelledby={titleId}>
      <h2 id={titleId} className="carried-forward__title">
        <button
          type="button"
          className="carried-forward__toggle"
          aria-expanded={expanded}
          aria-controls={bodyId}
          onClick={() => setExpanded((e) => !e)}
        >
          <span className="chevron" aria-hidden="true" />
          From your last exchange
          {count > 0 && (
            <span className="carried-forward__count">
              {count}
              <span className="visually-hidden"> open {count === 1 ? 'point' : 'points'}</span>
            </span>
          )}
        </button>
      </h2>
      <div id={bodyId} hidden={!expanded} className="carried-forward__body">
        {!items ? (
          <LoadFailed what="last exchange's open points" query={query} />
        ) : (
          <>
            <p className="carried-forward__intro">
              Still open from earlier debriefs with {people.partner?.name ?? 'your partner'}. Check them today, then
              mark each resolved or open it where it was made.
            </p>
            {groups.map((group) => (
              <section key={group.giverId} className="carried-forward__group" aria-label={group.heading}>
                <h3 className="carried-forward__giver">{group.heading}</h3>
                {group.hint && <p className="carried-forward__hint">{group.hint}</p>}
                <ul className="plain-list plain-list--tight carried-forward__list">
                  {group.items.map((item) => (
                    <CarriedForwardItem
                      key={itemKey(item)}
                      item={item}
                      people={people}
                      onResolve={() => resolve(item)}
                    />
                  ))}
                </ul>
              </section>
            ))}
          </>
        )}
      </div>
    </section>
  );
});
