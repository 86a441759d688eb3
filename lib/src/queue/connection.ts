import type { RedisOptions } from "bullmq";

/**
 * BullMQ connection options for a `redis://` URL. Commands wait through a
 * Redis restart instead of failing (`maxRetriesPerRequest: null`), and the
 * client reconnects every 200 ms at most, so a restarted Redis is found again quickly.
 *
 * @example
 * ```ts
 * new Queue("jobs", { connection: connectionFor("redis://127.0.0.1:6379") });
 * connectionFor("redis://127.0.0.1:6379").retryStrategy?.(10); // 200: ms before the next reconnect
 * ```
 * @internal
 */
export function connectionFor(url: string): RedisOptions {
  return {
    url,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(50 * times, 200),
  };
}
