/**
 * Lanes for overlapping work: many downloads in flight drawn on one lane hide
 * each other, so each span goes to the first "slot" lane that is free at its
 * start, the way a fixed number of server workers or pool threads would take
 * them. At most as many lanes as spans overlapped at once.
 */
import type { Span } from "./timeline";

/**
 * The slot (0, 1, 2, …) of each interval: the lowest slot whose previous
 * interval ended at or before this one's start, in order of start time.
 * The result is in the input's order.
 *
 * @example
 * ```ts
 * import { slotsOf } from "concurrency-lab";
 * slotsOf([{ start: 0, end: 10 }, { start: 5, end: 15 }, { start: 10, end: 20 }]); // [0, 1, 0]
 * ```
 */
export function slotsOf(intervals: readonly { start: number; end: number }[]): number[] {
  if (!Array.isArray(intervals)) throw new TypeError("slotsOf: intervals must be an array of { start, end }");
  for (const [i, iv] of intervals.entries()) {
    if (!(Number.isFinite(iv?.start) && Number.isFinite(iv?.end)) || iv.end < iv.start) {
      throw new RangeError(`slotsOf: interval ${i} must have finite start <= end`);
    }
  }
  const order = intervals.map((_, i) => i).sort((a, b) => intervals[a].start - intervals[b].start || a - b);
  const freeAt: number[] = []; // per slot: when its last interval ends
  const slots = new Array<number>(intervals.length);
  for (const i of order) {
    let slot = freeAt.findIndex((t) => t <= intervals[i].start);
    if (slot < 0) slot = freeAt.push(0) - 1;
    freeAt[slot] = intervals[i].end;
    slots[i] = slot;
  }
  return slots;
}

/**
 * Copies of `spans` with their lane set to `${prefix} ${slot + 1}`, slots as
 * in {@link slotsOf}: overlapping spans land on different lanes, spans one
 * after another share one.
 *
 * @example
 * ```ts
 * import { laneBySlot, timelineChart, show } from "concurrency-lab";
 * const spans = laneBySlot(timeline.spans().filter((s) => s.kind === "io"), "download slot");
 * await show(timelineChart(spans)); // lanes "download slot 1", "download slot 2", …
 * ```
 */
export function laneBySlot(spans: readonly Span[], prefix = "slot"): Span[] {
  const slots = slotsOf(spans);
  return spans.map((s, i) => ({ ...s, lane: `${prefix} ${slots[i] + 1}` }));
}
