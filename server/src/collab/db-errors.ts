/**
 * Whether a failed database call can ever succeed as it is. A busy, paused or unreachable
 * database (SQLITE_BUSY, network errors, failover, timeouts) is waited out; a write the database
 * rejects for what it holds (too large, invalid) is not retried, so it cannot hold up every
 * other document's writes behind it forever.
 */
const PERMANENT_CODES = new Set([
  2, // BadValue
  14, // TypeMismatch
  121, // DocumentValidationFailure
  10334, // BSONObjectTooLarge
  17419, // document too large after an update
]);
const PERMANENT_NAMES = new Set([
  'BSONError',
  'BSONVersionError',
  'ValidationError',
  'CastError',
  // a stalled writer's late snapshot (doc-store.ts): it stays refused
  'SupersededWriteError',
]);
const PERMANENT_MESSAGE = /too large|BSONObj size|exceeds maximum/i;

export function isPermanentDbError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number' && PERMANENT_CODES.has(code)) return true;
  if (PERMANENT_NAMES.has(err.name)) return true;
  // the driver refuses an oversized document before sending it
  if (err instanceof RangeError) return true;
  return PERMANENT_MESSAGE.test(err.message);
}

/**
 * The pause before retry number `attempt` (1, 2, …) of a database write or read that failed for
 * a passing reason: doubling from 200 ms up to 5 s, so a short stall costs little and a long
 * outage is polled a few times a minute. Every retry loop of the server uses it.
 */
export function retryPauseMs(attempt: number): number {
  return Math.min(5_000, 100 * 2 ** attempt);
}

/** Retries `call` while it fails for a passing reason, with growing pauses, for up to `withinMs`. */
export async function retryTransient<T>(
  call: () => Promise<T>,
  { withinMs, onRetry }: { withinMs: number; onRetry?: (err: unknown, attempt: number) => void },
): Promise<T> {
  const giveUpAt = Date.now() + withinMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const left = giveUpAt - Date.now();
      if (isPermanentDbError(err) || left <= 0) throw err;
      onRetry?.(err, attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.min(retryPauseMs(attempt), left)));
    }
  }
}
