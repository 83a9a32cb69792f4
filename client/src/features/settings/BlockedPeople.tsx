import { useMutation, useQuery } from '@tanstack/react-query';
import { blockListResponseSchema } from '@kneadback/shared/schemas/block';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { LoadFailed, Loading } from '../../app/ui/QueryStatus.tsx';
import { api } from '../../lib/api.ts';
import { asSentence } from '../../lib/form-errors.ts';
import { apiQuery } from '../../lib/query.ts';
import { queryKeys } from '../../lib/query-keys.ts';

export function BlockedPeople() {
  const list = useQuery(apiQuery(queryKeys.blocks.list(), '/api/blocks', blockListResponseSchema));
  const unblock = useMutation({
    mutationFn: (userId: string) => api.delete(`/api/blocks/${encodeURIComponent(userId)}`),
    meta: { invalidates: [queryKeys.blocks.all, queryKeys.partners.all, queryKeys.profiles.all] },
  });

  return (
    <section className="card stack settings__section" aria-labelledby="blocked-heading">
      <h2 id="blocked-heading">Blocked people</h2>
      <p className="settings__text">
        You and the people you block cannot find each other, see each other’s profile or ask each other for an exchange.
        They are not told.
      </p>
      {list.isPending && <Loading what="blocked people" />}
      {list.error && <LoadFailed what="blocked people" query={list} />}
      {unblock.error && <Alert tone="error">{asSentence(unblock.error.message)}</Alert>}
      {list.data && list.data.blocked.length === 0 && <p className="settings__text">You have not blocked anyone.</p>}
      {list.data && list.data.blocked.length > 0 && (
        <ul className="settings__blocked">
          {list.data.blocked.map((person) => (
            <li key={person.id}>
              <span>{person.displayName}</span>
              <Button
                variant="secondary"
                busy={unblock.isPending && unblock.variables === person.id}
                onClick={() => unblock.mutate(person.id)}
              >
                Unblock<span className="visually-hidden"> {person.displayName}</span>
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
