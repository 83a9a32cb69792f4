import { describe, expect, it } from 'vitest';
import { ApiRequestError } from './api.ts';
import { createQueryClient } from './query.ts';
import { queryKeys } from './query-keys.ts';

describe('createQueryClient', () => {
  it('marks stale exactly the queries under the keys a successful mutation names', async () => {
    const client = createQueryClient();
    const one = queryKeys.exchanges.one('e1');
    const reads = queryKeys.debriefs.threadReads('e1');
    const other = queryKeys.notifications.list();
    for (const queryKey of [one, reads, other]) client.setQueryData(queryKey, 'cached');
    const fresh = (queryKey: readonly unknown[]) => client.getQueryState(queryKey)?.isInvalidated === false;

    await client
      .getMutationCache()
      .build(client, { mutationFn: () => Promise.resolve('done'), meta: { invalidates: [queryKeys.exchanges.all] } })
      .execute(undefined);

    expect(fresh(one)).toBe(false);
    expect(fresh(reads)).toBe(true);
    expect(fresh(other)).toBe(true);
  });

  it('invalidates nothing when the mutation fails', async () => {
    const client = createQueryClient();
    client.setQueryData(queryKeys.exchanges.list(), 'cached');
    const failing = client.getMutationCache().build(client, {
      mutationFn: () => Promise.reject(new ApiRequestError(403, 'forbidden', 'not yours')),
      meta: { invalidates: [queryKeys.exchanges.all] },
    });

    await expect(failing.execute(undefined)).rejects.toThrow('not yours');
    expect(client.getQueryState(queryKeys.exchanges.list())?.isInvalidated).toBe(false);
  });

  it('tries again after a network or server failure, never after an answer that will not change', async () => {
    const client = createQueryClient();
    const triesUntilFailure = async (error: ApiRequestError) => {
      let tries = 0;
      await client
        .fetchQuery({
          queryKey: ['test', error.code],
          queryFn: () => {
            tries += 1;
            throw error;
          },
          retryDelay: 0,
        })
        .catch(() => undefined);
      return tries;
    };

    expect(await triesUntilFailure(new ApiRequestError(0, 'network', 'offline'))).toBe(3);
    expect(await triesUntilFailure(new ApiRequestError(503, 'unavailable', 'restarting'))).toBe(3);
    expect(await triesUntilFailure(new ApiRequestError(404, 'not_found', 'no such exchange'))).toBe(1);
    expect(await triesUntilFailure(new ApiRequestError(400, 'validation', 'page: too big'))).toBe(1);
  });
});
