/** Retry settings; the defaults match the .NET client. */
export interface RetryOptions {
  /** Attempts per request, the first included (default 4); 1 disables retries. */
  maxAttempts?: number;
  /** Backoff before the first retry without Retry-After, in ms (default 200); doubles per retry. */
  initialBackoffMs?: number;
  /** Longest wait between attempts, in ms (default 30,000); a longer Retry-After is not waited for. */
  maxBackoffMs?: number;
  /** Source of jitter in [0, 1) (default Math.random). */
  random?: () => number;
}

/** 429 (rate limited) and 503 (engine starting, control plane away) are worth retrying; nothing else is. */
export function isRetryable(status: number): boolean {
  return status === 429 || status === 503;
}

/** Retry-After (seconds or an HTTP date) in ms, or undefined. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before the next attempt, or undefined when the server asks for longer than maxBackoffMs. Jitter spreads
 * clients refused together: up to one initial backoff on top of Retry-After; half fixed, half random otherwise.
 */
export function retryDelayMs(attempt: number, retryAfter: number | undefined, options: Required<RetryOptions>): number | undefined {
  const random = options.random();
  if (retryAfter !== undefined) {
    return retryAfter > options.maxBackoffMs ? undefined : retryAfter + options.initialBackoffMs * random;
  }
  const capped = Math.min(options.maxBackoffMs, options.initialBackoffMs * 2 ** Math.min(attempt - 1, 30));
  return capped / 2 + (capped / 2) * random;
}

/** Waits ms, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
