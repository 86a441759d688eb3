/**
 * Watching a promise fail with nobody listening: Node's `unhandledRejection`
 * and `rejectionHandled` process events, recorded with their times instead of
 * crashing the process (or, in a notebook, printing the kernel's error).
 */
import { now } from "./clock";

/** One entry of a {@link watchRejections} log, in ms since the watch began. */
export interface RejectionLogEntry {
  atMs: number;
  /** "unhandledRejection: <message>", "rejectionHandled", or a label passed to `mark`. */
  what: string;
}

/**
 * Runs `fn` while recording Node's `unhandledRejection` and
 * `rejectionHandled` events, with the times they fired. While it runs, the
 * process's own `unhandledRejection` listeners (a notebook kernel's, or
 * Node's default, which would end a script) are set aside, and they are put
 * back afterwards, even if `fn` throws. `fn` gets `mark(label)` to add its
 * own steps to the same log. After `fn` settles, the watch waits `settleMs`
 * for late events (`rejectionHandled` fires a turn of the loop after the
 * handler is attached).
 *
 * @example
 * ```ts
 * import { watchRejections, sleep } from "concurrency-lab";
 * const { log } = await watchRejections(async (mark) => {
 *   const task = Promise.reject(new Error("early"));
 *   await sleep(10);             // nobody handles it yet: unhandledRejection
 *   mark("now we await it");
 *   await task.catch(() => {});  // too late: rejectionHandled follows
 * });
 * console.log(log.map((e) => `${e.atMs.toFixed(0)} ms ${e.what}`).join("\n"));
 * ```
 */
export async function watchRejections<T>(
  fn: (mark: (label: string) => void) => Promise<T> | T,
  opts: { settleMs?: number } = {},
): Promise<{ value: T; log: RejectionLogEntry[] }> {
  if (typeof fn !== "function") throw new TypeError("watchRejections: fn must be a function");
  const settleMs = opts.settleMs ?? 20;
  const start = now();
  const log: RejectionLogEntry[] = [];
  const mark = (what: string) => void log.push({ atMs: now() - start, what });
  const onUnhandled = (reason: unknown) => mark(`unhandledRejection: ${(reason as Error)?.message ?? String(reason)}`);
  const onHandled = () => mark("rejectionHandled: a handler was attached after all");
  const saved = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", onUnhandled);
  process.on("rejectionHandled", onHandled);
  try {
    const value = await fn(mark);
    await new Promise((r) => setTimeout(r, settleMs));
    return { value, log };
  } finally {
    process.off("unhandledRejection", onUnhandled);
    process.off("rejectionHandled", onHandled);
    for (const listener of saved) process.on("unhandledRejection", listener);
  }
}
