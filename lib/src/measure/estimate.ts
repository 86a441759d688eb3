/**
 * Estimates: a time measured on part of a workload and scaled to the whole,
 * labelled as such wherever it is shown.
 */
import { now } from "./clock";

/**
 * Runs `work` `sample` times, one after the other, and scales the time to
 * `total` runs: `{ wallMs, estimate }`, where `estimate` says how (an
 * `experiment()` variant returning this is flagged "estimate" in the verdict,
 * the chart and the summary). Only valid when the runs do not interact.
 *
 * @example
 * ```ts
 * import { scaledEstimate, blockingSleep } from "concurrency-lab";
 * await scaledEstimate(() => blockingSleep(100), { sample: 5, total: 100 });
 * // { wallMs: ~10000, estimate: "5 of 100 runs timed, × 20" }
 * ```
 */
export async function scaledEstimate(work: () => unknown, opts: { sample: number; total: number }): Promise<{ wallMs: number; estimate: string }> {
  const { sample, total } = opts;
  if (!Number.isInteger(sample) || sample < 1) throw new RangeError(`scaledEstimate: sample must be an integer >= 1, got ${String(sample)}`);
  if (!Number.isInteger(total) || total < sample) throw new RangeError(`scaledEstimate: total must be an integer >= sample, got ${String(total)}`);
  const t0 = now();
  for (let i = 0; i < sample; i++) await work();
  const factor = total / sample;
  return { wallMs: (now() - t0) * factor, estimate: `${sample} of ${total} runs timed, × ${Number(factor.toFixed(2))}` };
}
