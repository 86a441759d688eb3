/**
 * The "A started / A completed" log of the concurrency-basics document,
 * rebuilt from recorded spans. Workers do not print (their output would reach
 * the notebook late and in no fixed order); they record spans on the shared
 * clock, and the log is printed from those afterwards, in time order.
 */
import type { Span } from "../measure/timeline";
import { textTable } from "./table";

/** One line of {@link spanLog}. */
export interface SpanLogEvent {
  /** Seconds since `origin`. */
  atS: number;
  /** "<lane> started" or "<lane> completed". */
  event: string;
}

/**
 * The start and end of every span as log events, in time order (a start
 * before an end at the same instant). Spans on the lanes in `skipLanes`
 * (default: `main`, the thread that only waits) are left out. `origin` is
 * subtracted from every time; a Timeline's `spans()` are already relative to
 * its origin, so the default is 0.
 *
 * @example
 * ```ts
 * import { spanLogEvents } from "concurrency-lab";
 * spanLogEvents([{ label: "job", lane: "thread 1", start: 0, end: 1000, kind: "running" }]);
 * // [{ atS: 0, event: "thread 1 started" }, { atS: 1, event: "thread 1 completed" }]
 * ```
 */
export function spanLogEvents(
  spans: readonly Span[],
  opts: { origin?: number; skipLanes?: readonly string[] } = {},
): SpanLogEvent[] {
  const { origin = 0, skipLanes = ["main"] } = opts;
  if (!Array.isArray(spans)) throw new TypeError("spanLogEvents: spans must be an array of spans");
  return spans
    .filter((s) => !skipLanes.includes(s.lane))
    .flatMap((s) => [
      { t: s.start - origin, order: 0, event: `${s.lane} started` },
      { t: s.end - origin, order: 1, event: `${s.lane} completed` },
    ])
    .sort((a, b) => a.t - b.t || a.order - b.order)
    .map((e) => ({ atS: e.t / 1000, event: e.event }));
}

/**
 * {@link spanLogEvents} as an aligned text table with times in seconds
 * (three decimals), ready for `console.log`.
 *
 * @example
 * ```ts
 * import { spanLog, measureThreadsIo } from "concurrency-lab";
 * const run = await measureThreadsIo({ tasks: 2, ms: 1000 });
 * console.log(spanLog(run.timeline.spans()));
 * // at (s)  event
 * // 0.051    thread 1 started
 * // …
 * ```
 */
export function spanLog(spans: readonly Span[], opts: { origin?: number; skipLanes?: readonly string[] } = {}): string {
  const rows = spanLogEvents(spans, opts).map((e) => ({ "at (s)": e.atS.toFixed(3), event: e.event }));
  return textTable(rows, ["at (s)", "event"]);
}
