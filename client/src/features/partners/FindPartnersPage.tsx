import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import { Link } from 'react-router-dom';
import { partnerSearchResponseSchema } from '@kneadback/shared/schemas/profile';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { Alert } from '../../app/ui/Alert.tsx';
import { LoadFailed, Loading } from '../../app/ui/QueryStatus.tsx';
import { Spinner } from '../../app/ui/Spinner.tsx';
import { asSentence } from '../../lib/form-errors.ts';
import { apiQuery } from '../../lib/query.ts';
import { queryKeys } from '../../lib/query-keys.ts';
import { Pagination } from '../review/Pagination.tsx';
import { PartnerCard } from './PartnerCard.tsx';
import { PartnerFilters } from './PartnerFilters.tsx';
import { apiQueryOf, usePartnerSearchParams } from './searchParams.ts';
import './partners.css';

export function FindPartnersPage() {
  usePageTitle('Find partners');
  const { filters, page, search, setPage } = usePartnerSearchParams();
  const query = apiQueryOf(filters, page);
  const results = useQuery({
    ...apiQuery(queryKeys.partners.search(query), `/api/partners?${query}`, partnerSearchResponseSchema),
    placeholderData: keepPreviousData,
  });
  const heading = useRef<HTMLHeadingElement>(null);
  const goToPage = useCallback(
    (n: number) => {
      setPage(n);
      heading.current?.focus();
    },
    [setPage],
  );
  const badFilter = results.error?.status === 400 ? results.error : null;
  const data = results.data;

  return (
    <div className="page partners">
      <div>
        <h1>Find partners</h1>
        <p className="lead">
          Therapists open to exchanges. Those who practise something you don't, and those nearby, come first.{' '}
          <Link className="touch-link" to="/profile">
            Your own profile
          </Link>{' '}
          decides how others find you.
        </p>
      </div>
      <PartnerFilters
        // a new URL (Back, a link) starts the form from what it says
        key={JSON.stringify(filters)}
        filters={filters}
        busy={results.isFetching}
        fieldError={badFilter?.field ? { field: badFilter.field, message: asSentence(badFilter.message) } : null}
        onSearch={search}
      />
      {badFilter && !badFilter.field && <Alert tone="error">{asSentence(badFilter.message)}</Alert>}

      <section className="partners__results" aria-labelledby="partner-results">
        <div className="partners__results-head">
          <h2 id="partner-results" ref={heading} tabIndex={-1}>
            {data ? `${data.total} therapist${data.total === 1 ? '' : 's'} found` : 'Results'}
          </h2>
          {results.isFetching && data && <Spinner size="sm" label="Updating results" />}
        </div>
        {data && !data.near && (
          <p className="partners__hint">
            Choose a place above, or add your area to{' '}
            <Link className="touch-link" to="/profile">
              your profile
            </Link>
            , to see who is near.
          </p>
        )}
        {!data && results.isPending && <Loading what="therapists" />}
        {results.error && !badFilter && <LoadFailed what="therapists" query={results} />}
        {data && data.total === 0 && (
          <p className="partners__empty">No therapist open to exchanges matches all of these. Try fewer filters.</p>
        )}
        {data && data.results.length > 0 && (
          <ul className="partners__list">
            {data.results.map((partner) => (
              <PartnerCard key={partner.id} partner={partner} />
            ))}
          </ul>
        )}
        {data && (
          <Pagination
            page={data.page}
            pageSize={data.pageSize}
            total={data.total}
            onPage={goToPage}
            label="Pages of therapists"
          />
        )}
      </section>
    </div>
  );
}
