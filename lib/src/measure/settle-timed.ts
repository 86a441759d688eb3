/**
 * When did each piece of concurrent work end, and how? `Promise.allSettled`
 * says how; this also says when, so a notebook can show work that went on
 * after the first error, or stopped at a cancel.
 */
import { now } from "./clock";

/** How and when one promise settled. */
export interface TimedOutcome<T> {
  status: "fulfilled" | "rejected";
  /** Milliseconds from `origin` to the moment it settled. */
  atMs: number;
  value?: T;
  /** For a rejection: "<error name>: <message>". */
  error?: string;
}

/**
 * Resolves (never rejects) with how `promise` settled and when, in ms after
 * `origin` (a time on the shared clock, default now).
 *
 * @example
 * ```ts
 * import { settleTimed, sleep, now } from "concurrency-lab";
 * const t0 = now();
 * const outcomes = await Promise.all([sleep(50), Promise.reject(new RangeError("no"))].map((p) => settleTimed(p, t0)));
 * // [{ status: "fulfilled", atMs: ~50 }, { status: "rejected", atMs: ~0, error: "RangeError: no" }]
 * ```
 */
export async function settleTimed<T>(promise: PromiseLike<T>, origin: number = now()): Promise<TimedOutcome<T>> {
  try {
    const value = await promise;
    return { status: "fulfilled", atMs: now() - origin, value };
  } catch (err) {
    const e = err as { name?: unknown; message?: unknown } | null;
    const error = e && typeof e === "object" ? `${String(e.name ?? "Error")}: ${String(e.message ?? "")}` : String(err);
    return { status: "rejected", atMs: now() - origin, error };
  }
}
