import { useQuery } from '@tanstack/react-query';
import { endorsementListResponseSchema } from '@kneadback/shared/schemas/partnership';
import { MODALITY_LABELS } from '@kneadback/shared/vocabulary';
import { Loading, LoadFailed } from '../../app/ui/QueryStatus.tsx';
import { apiQuery } from '../../lib/query.ts';
import { queryKeys } from '../../lib/query-keys.ts';
import './partnership.css';

/** The skills partners vouched for, with who vouched: for a therapist's profile. */
export function EndorsementsList({ userId, title = 'Endorsed by partners' }: { userId: string; title?: string }) {
  const query = useQuery(
    apiQuery(
      queryKeys.users.endorsements(userId),
      `/api/users/${encodeURIComponent(userId)}/endorsements`,
      endorsementListResponseSchema,
    ),
  );
  return (
    <section className="endorsements" aria-label={title}>
      <h2>{title}</h2>
      {query.isPending && <Loading what="endorsements" />}
      {query.isError && <LoadFailed what="endorsements" query={query} />}
      {query.data?.endorsements.length === 0 && <p className="endorsements__empty">No endorsements yet.</p>}
      {query.data && query.data.endorsements.length > 0 && (
        <ul className="plain-list endorsements__list">
          {query.data.endorsements.map((e) => (
            <li key={`${e.by.id}:${e.modality}`} className="endorsements__item">
              <strong>{MODALITY_LABELS[e.modality]}</strong> — vouched for by {e.by.displayName}
              {e.note && <q className="endorsements__note">{e.note}</q>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
