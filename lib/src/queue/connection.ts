import type { RedisOptions } from "bullmq";

/**
 * BullMQ connection options for a `redis://` URL. Commands wait through a
 * Redis restart instead of failing (`maxRetriesPerRequest: null`), and the
 * client reconnects every 200 ms at most, so a restarted Redis is found again quickly.
 * @internal
 */
export function connectionFor(url: string): RedisOptions {
  return {
    url,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(50 * times, 200),
  };
}
