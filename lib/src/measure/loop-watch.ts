import { now } from "./clock";
import type { Span, Timeline } from "./timeline";

/** Options of {@link watchEventLoop}. */
export interface LoopWatchOptions {
  /** How often the watch's timer is due, in ms. Default 10. */
  periodMs?: number;
  /** A tick this much later than due counts as "blocked", in ms. Default 25. */
  toleranceMs?: number;
  /** Lane of the spans in the timeline. Default "main: event loop". */
  lane?: string;
}

/** What {@link watchEventLoop}'s `stop()` returns. */
export interface LoopWatchReport {
  /** Timer callbacks that ran. */
  ticks: number;
  /** Longest time between two ticks, in ms (≈ periodMs on a free loop). */
  maxGapMs: number;
  /** Sum of the blocked stretches, in ms. */
  blockedMs: number;
  /** The stretches when the loop could not run the timer, as [start, end] on the shared clock. */
  blocked: [number, number][];
}

/**
 * Watches this thread's event loop with a repeating timer and draws it on a
 * timeline: stretches where the timer ran on time become "idle" spans (the loop
 * was free), stretches where it ran late become "blocked" spans (something kept
 * the loop busy: CPU work inline, a blocking call). The spans are added when
 * `stop()` is called. Where `eventLoopLag` gives one number, this shows *when*.
 *
 * @example
 * ```ts
 * import { Timeline, watchEventLoop, blockingSleep, timelineChart, show } from "concurrency-lab";
 * const timeline = new Timeline();
 * const watch = watchEventLoop(timeline);
 * await new Promise((r) => setTimeout(r, 100));
 * blockingSleep(200); // the loop is stuck here
 * await new Promise((r) => setTimeout(r, 100));
 * watch.stop().maxGapMs; // ≈ 200
 * await show(timelineChart(timeline));
 * ```
 */
export function watchEventLoop(timeline: Timeline, opts: LoopWatchOptions = {}): { stop(): LoopWatchReport } {
  const { periodMs = 10, toleranceMs = 25, lane = "main: event loop" } = opts;
  if (typeof periodMs !== "number" || !(periodMs >= 1 && periodMs <= 1000)) {
    throw new RangeError(`periodMs must be from 1 to 1000, got ${periodMs}`);
  }
  if (typeof toleranceMs !== "number" || !(toleranceMs >= 0)) {
    throw new RangeError(`toleranceMs must be a number >= 0, got ${toleranceMs}`);
  }
  const started = now();
  const ticks: number[] = [started];
  const timer = setInterval(() => ticks.push(now()), periodMs);
  timer.unref(); // a watcher observes the loop; it must not keep a finished script alive
  let report: LoopWatchReport | undefined;
  return {
    stop(): LoopWatchReport {
      if (report) return report;
      clearInterval(timer);
      ticks.push(now()); // the stretch up to now counts too: stop() itself runs on the loop
      const blocked: [number, number][] = [];
      let maxGapMs = 0;
      for (let i = 1; i < ticks.length; i++) {
        const gap = ticks[i] - ticks[i - 1];
        maxGapMs = Math.max(maxGapMs, gap);
        // The tick was due periodMs after the previous one; it was blocked from then until it ran.
        if (gap > periodMs + toleranceMs) blocked.push([ticks[i - 1] + periodMs, ticks[i]]);
      }
      const spans: Span[] = [];
      let freeFrom = started;
      for (const [start, end] of blocked) {
        if (start > freeFrom) spans.push({ label: "loop free", lane, start: freeFrom, end: start, kind: "idle" });
        spans.push({ label: `loop blocked ${(end - start).toFixed(0)} ms`, lane, start, end, kind: "blocked" });
        freeFrom = end;
      }
      const last = ticks[ticks.length - 1];
      if (last > freeFrom) spans.push({ label: "loop free", lane, start: freeFrom, end: last, kind: "idle" });
      timeline.add(...spans);
      report = {
        ticks: ticks.length - 2,
        maxGapMs,
        blockedMs: blocked.reduce((sum, [s, e]) => sum + (e - s), 0),
        blocked,
      };
      return report;
    },
  };
}
