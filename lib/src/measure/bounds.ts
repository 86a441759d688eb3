/**
 * Bounds: the limits physics puts on a ratio, computed before measuring.
 *
 * A speed-up has a ceiling: `n` equal CPU tasks on `w` workers and `c` cores
 * cannot finish more than `min(w, c, n)` times faster than one after the
 * other. A run of deliberate waits has a floor: `n` requests of `d` ms to a
 * server answering `w` at a time take at least `ceil(n / w) × d`. A result
 * beyond its bound did not come from the thing compared (the work differed,
 * or the machine's speed changed), so the protocol flags it instead of citing it.
 */
import os from "node:os";

/** A bound of one variant: a speed-up ceiling over the baseline, a floor on its time, or both. */
export interface Bound {
  /** Highest possible speed-up of this variant over the baseline (baseline time / this time). */
  ceiling?: number;
  /** Shortest possible time of one run of this variant, in ms. */
  floorMs?: number;
  /**
   * Set, with neither `ceiling` nor `floorMs`, when no first-principles limit exists: the costs of
   * two different mechanisms (a promise hop against a thread round trip). `why` then says so; the
   * ratio is reported as a measurement, never judged against a limit. See {@link noPhysicalBound}.
   */
  unbounded?: true;
  /** Where the bound comes from, in words and numbers: "min(2 workers, 2 cores, 3 tasks)". */
  why: string;
}

/**
 * The explicit answer for a ratio that has no physical bound, so that every
 * ratio in a results file carries either its limit or the reason it has none.
 *
 * @example
 * ```ts
 * import { noPhysicalBound } from "concurrency-lab";
 * noPhysicalBound("two different mechanisms: only the order of magnitude is read");
 * // { unbounded: true, why: "no physical bound: two different mechanisms: only the order of magnitude is read" }
 * ```
 */
export function noPhysicalBound(why: string): Bound {
  if (typeof why !== "string" || why === "") throw new TypeError("noPhysicalBound: say why there is no bound");
  return { unbounded: true, why: `no physical bound: ${why}` };
}

function positiveInt(name: string, x: unknown): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < 1) throw new RangeError(`${name} must be an integer >= 1, got ${String(x)}`);
  return x;
}

/**
 * The speed-up ceiling of `tasks` equal CPU-bound tasks on `workers` workers
 * over running them one after the other: `min(workers, cores, tasks)`.
 * `cores` defaults to the CPUs this process may use.
 *
 * @example
 * ```ts
 * import { cpuCeiling } from "concurrency-lab";
 * cpuCeiling({ workers: 2, tasks: 3, cores: 2 });
 * // { ceiling: 2, why: "min(2 workers, 2 cores, 3 tasks) = 2 tasks at a time" }
 * ```
 * For 3 tasks on 2 workers, the honest ceiling is even lower: see {@link roundsCeiling}.
 */
export function cpuCeiling(opts: { workers: number; tasks: number; cores?: number }): Bound & { ceiling: number } {
  const workers = positiveInt("workers", opts.workers);
  const tasks = positiveInt("tasks", opts.tasks);
  const cores = positiveInt("cores", opts.cores ?? os.availableParallelism());
  const ceiling = Math.min(workers, cores, tasks);
  return { ceiling, why: `min(${workers} workers, ${cores} cores, ${tasks} tasks) = ${ceiling} tasks at a time` };
}

/**
 * The tighter speed-up ceiling of `tasks` equal tasks when at most
 * `min(workers, cores)` run at once: they need `ceil(tasks / parallel)`
 * rounds, so the speed-up is at most `tasks / rounds` (3 tasks on 2 workers:
 * 2 rounds, at most 1.5×).
 *
 * @example
 * ```ts
 * import { roundsCeiling } from "concurrency-lab";
 * roundsCeiling({ workers: 2, tasks: 3, cores: 2 });
 * // { ceiling: 1.5, why: "3 tasks in 2 rounds of 2 at a time, the least of 2 workers and 2 cores: 3/2" }
 * ```
 */
export function roundsCeiling(opts: { workers: number; tasks: number; cores?: number }): Bound & { ceiling: number } {
  const workers = positiveInt("workers", opts.workers);
  const tasks = positiveInt("tasks", opts.tasks);
  const cores = positiveInt("cores", opts.cores ?? os.availableParallelism());
  const parallel = Math.min(workers, cores);
  const rounds = Math.ceil(tasks / parallel);
  const ceiling = Math.round((tasks / rounds) * 1000) / 1000;
  return {
    ceiling,
    why: `${tasks} tasks in ${rounds} round${rounds === 1 ? "" : "s"} of ${parallel} at a time, ` +
      `the least of ${workers} workers and ${cores} cores: ${tasks}/${rounds}`,
  };
}

/**
 * The floor of `tasks` waits of `delayMs` each when `workers` can wait at the
 * same time (a slow server with `workers` processes, a pool of `workers`
 * threads): `ceil(tasks / workers) × delayMs`.
 *
 * @example
 * ```ts
 * import { waitFloor } from "concurrency-lab";
 * waitFloor({ tasks: 10, workers: 3, delayMs: 250 });
 * // { floorMs: 1000, why: "ceil(10 tasks / 3 at a time) = 4 rounds x 250 ms" }
 * ```
 */
export function waitFloor(opts: { tasks: number; workers: number; delayMs: number }): Bound & { floorMs: number } {
  const tasks = positiveInt("tasks", opts.tasks);
  const workers = positiveInt("workers", opts.workers);
  if (typeof opts.delayMs !== "number" || !(opts.delayMs >= 0) || !Number.isFinite(opts.delayMs)) {
    throw new RangeError(`delayMs must be a finite number >= 0, got ${String(opts.delayMs)}`);
  }
  const rounds = Math.ceil(tasks / workers);
  const r = `${rounds} round${rounds === 1 ? "" : "s"}`;
  return { floorMs: rounds * opts.delayMs, why: `ceil(${tasks} tasks / ${workers} at a time) = ${r} x ${opts.delayMs} ms` };
}
