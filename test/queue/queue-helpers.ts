// Helpers for the queue tests.
import { redisAvailable } from "concurrency-lab";

/**
 * True when the queue tests can run (a redis-server or REDIS_URL). Locally,
 * without Redis, they are skipped with a message that says how to get it; in CI
 * (CI=true) they always run, so a missing redis-server fails them.
 */
export function redisOrSkip(what: string): boolean {
  const r = redisAvailable();
  if (r.ok || process.env.CI === "true") return true;
  console.log(`  skipping ${what}: ${r.how}. To run it: ${r.fix}`);
  return false;
}

// isAlive(pid): true while a process with this pid exists (shared with the executor tests).
export { isAlive } from "../executors/executor-process-helpers";

/** Polls `condition` every 20 ms until it holds; throws `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
