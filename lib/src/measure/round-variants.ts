/**
 * Feeding a comparison that another program runs (a Python program timing its
 * own variants) into `experiment()`, one of its rounds per experiment round,
 * so that its numbers get the same treatment as ours: interleaved rounds,
 * statistics, bounds, machine noise over the same window, and a verdict.
 */
import type { VariantReport } from "./experiment";

/**
 * Variants for `experiment()` that share one run of `runRound` per round: the
 * first variant (in `pick`'s key order, which is the order `experiment` runs
 * them) calls `runRound()` and keeps its result; every variant then returns
 * the {@link VariantReport} its `pick` function reads from that result: its
 * own `wallMs` and `cpuMs` (required: the harness cannot tell which part of
 * the program's CPU time belongs to which variant), and `perTaskMs` when the
 * program measured it. So one experiment round is one round of the program,
 * and the noise window is the time the program ran. Use `warmup: 0` unless a
 * warm-up run is wanted.
 *
 * @example
 * ```ts
 * import { experiment, roundVariants, runPython } from "concurrency-lab";
 * type R = { samples: Record<string, { wallMs: number; cpuMs: number }[]> };
 * const e = await experiment({
 *   id: "py-gil", question: "Do two Python threads finish bytecode sooner?", warmup: 0,
 *   variants: roundVariants(async () => (await runPython<R>("python/04_gil_threads.py", [100, 1])).result, {
 *     "in turn": (r) => r.samples["bytecode: 2 in turn"][0],
 *     "2 threads": (r) => r.samples["bytecode: 2 threads"][0],
 *   }),
 * });
 * ```
 */
export function roundVariants<R>(
  runRound: () => Promise<R>,
  pick: Record<string, (result: R) => VariantReport>,
): Record<string, () => Promise<VariantReport>> {
  if (typeof runRound !== "function") throw new TypeError("roundVariants: runRound must be a function returning a promise");
  const names = Object.keys(pick ?? {});
  if (names.length === 0) throw new RangeError("roundVariants: pick must name at least one variant");
  for (const name of names) {
    if (typeof pick[name] !== "function") throw new TypeError(`roundVariants: pick["${name}"] must be a function`);
  }
  let latest: { value: R } | undefined;
  const variants: Record<string, () => Promise<VariantReport>> = {};
  for (const [i, name] of names.entries()) {
    variants[name] = async () => {
      if (i === 0) latest = { value: await runRound() };
      if (!latest) throw new Error(`roundVariants: "${name}" ran before "${names[0]}", which runs the round`);
      const report = pick[name]!(latest.value);
      if (typeof report !== "object" || report === null || typeof report.wallMs !== "number" || typeof report.cpuMs !== "number") {
        throw new TypeError(`roundVariants: pick["${name}"] must return an object with wallMs and cpuMs (the program's own)`);
      }
      return report;
    };
  }
  return variants;
}
