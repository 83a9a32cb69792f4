// Retry an assertion until it passes, instead of sleeping for a fixed time and hoping.

export interface EventuallyOptions {
  /** Give up after this many milliseconds (default 5000). */
  timeout?: number;
  /** Wait this long between attempts (default 25). */
  interval?: number;
}

/**
 * Calls `fn` until it returns (or resolves) without throwing, and returns its value.
 * When the time is up, throws the last error `fn` threw, so the failure reads like the assertion.
 */
export async function eventually<T>(fn: () => T | Promise<T>, opts: EventuallyOptions = {}): Promise<T> {
  const { timeout = 5_000, interval = 25 } = opts;
  const deadline = Date.now() + timeout;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() + interval > deadline) {
        if (err instanceof Error)
          err.message = `${err.message}\n(still failing after ${attempt} attempts over ${timeout} ms)`;
        throw err;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
