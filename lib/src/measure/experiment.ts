/**
 * The measurement protocol: one comparison, run fairly, judged from its numbers.
 *
 * `experiment()` runs the variants of a comparison interleaved (A B C A B C …)
 * after a warm-up, round after round until at least `rounds` rounds are done
 * and the time budget is spent, so that a change in the machine's speed hits
 * every variant alike. It measures each run's wall time, the CPU time of this
 * process (all its threads) and of its child processes, reads the machine's
 * noise around the rounds, checks each variant against its bound and writes the
 * verdict. Every experiment is added to the results collection of this kernel
 * (see `saveResults`, `showSummary`).
 */
import os from "node:os";
import { now } from "./clock";
import type { Bound } from "./bounds";
import {
  clockTicksPerSecond, descendantTicks, readCpuTicks, readProcessTree, type CpuTicks, type ProcessTree,
} from "./cpu-accounting";
import { machineInfo } from "./machine";
import { describeNoise, machineNoise, type MachineNoise } from "./machine-noise";
import { recordResult } from "./results";
import { sampleStats } from "./timers";
import { checkFloor, judge, type VariantStats } from "./verdict";
import type { Experiment } from "./experiment-result";

// The result type has its own file, so that the results collection can name it without importing this module.
export type { Experiment } from "./experiment-result";

/**
 * What a variant may return instead of (or besides) nothing. Every field is
 * optional; any other return value is ignored.
 */
export interface VariantReport {
  /** The time of the measured part, in ms, replacing the harness's wall time (e.g. a Python program's own timing). */
  wallMs?: number;
  /** CPU time the variant measured itself (e.g. a Python program's), replacing the harness's CPU figure. */
  cpuMs?: number;
  /** Time of each task of this run: compared between variants to show "each task ran slower in parallel". */
  perTaskMs?: number[];
  /** Set when the value is extrapolated, saying how ("5 tasks x one task's time"). */
  estimate?: string;
}

/** The clocks and counters an experiment reads; tests replace them with fakes. */
export interface Probes {
  /** Milliseconds on a monotonic clock. */
  clock(): number;
  /** CPU time of this process so far, in µs (`process.cpuUsage()`). */
  cpuUsage(): { user: number; system: number };
  /** The machine's CPU counters (`/proc/stat`), or null where unknown. */
  readCpuTicks(): CpuTicks | null;
  /** This process's and its descendants' CPU ticks, or null where unknown. */
  readProcessTree(extraPids: readonly number[]): ProcessTree | null;
  /** Ticks per second of the two readers above. */
  ticksPerSecond(): number;
  /** Facts about the machine stored with the result. */
  machine(): Record<string, unknown>;
}

/** Options of {@link experiment}. */
export interface ExperimentOptions {
  /** Stable id: re-running the cell replaces the result with this id. */
  id: string;
  /** The question the comparison answers, in words. */
  question: string;
  /** The variants by name, in the order they run in each round; each runs the same work its own way. */
  variants: Record<string, () => unknown>;
  /** The variant the others are compared with; default the first. */
  baseline?: string;
  /** Bounds by variant name: speed-up ceiling over the baseline, floor in ms, and why. */
  bounds?: Record<string, Bound>;
  /** Variants whose value is extrapolated, with how ("5 tasks x one task"). */
  estimates?: Record<string, string>;
  /** Least number of timed rounds; default 3. */
  rounds?: number;
  /** Most rounds; default 30. */
  maxRounds?: number;
  /** Rounds continue while the next one fits in this budget (warm-up included); default 3000 ms. */
  budgetMs?: number;
  /** Untimed rounds first (JIT, caches, pools warming up); default 1. */
  warmup?: number;
  /** Extra processes whose CPU counts as ours (child processes are found by themselves on Linux). */
  childPids?: () => readonly number[];
  /** Allowance beyond a bound; default 0.1. */
  tolerance?: number;
  /** Speed-ups within 1 ± this are "no gain"; default 0.1. */
  sameWithin?: number;
  /** Add the result to the collection (default true). */
  collect?: boolean;
  /** Replacement clocks and counters (tests). */
  probes?: Partial<Probes>;
}

const defaultProbes: Probes = {
  clock: now,
  cpuUsage: () => process.cpuUsage(),
  readCpuTicks,
  readProcessTree: (extra) => readProcessTree(process.pid, extra),
  ticksPerSecond: clockTicksPerSecond,
  machine: () => {
    const m = machineInfo();
    return { cores: m.cores, cpuModel: m.cpuModel, node: m.node, platform: m.platform, arch: m.arch, python3: m.python3, loadavg: os.loadavg() };
  },
};

function count(name: string, x: unknown, min: number): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${String(x)}`);
  return x;
}

function fraction(name: string, x: unknown): number {
  if (typeof x !== "number" || !(x >= 0 && x < 1)) throw new RangeError(`${name} must be a number in [0, 1), got ${String(x)}`);
  return x;
}

/** The report inside a variant's return value, if it has one. */
function reportOf(variant: string, value: unknown): VariantReport {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const v = value as Record<string, unknown>;
  const out: VariantReport = {};
  const num = (k: "wallMs" | "cpuMs") => {
    if (v[k] === undefined) return;
    if (typeof v[k] !== "number" || !Number.isFinite(v[k]) || (v[k] as number) < 0) {
      throw new TypeError(`variant "${variant}" returned ${k} = ${String(v[k])}; it must be a finite number >= 0`);
    }
    out[k] = v[k] as number;
  };
  num("wallMs");
  num("cpuMs");
  if (v.perTaskMs !== undefined) {
    if (!Array.isArray(v.perTaskMs) || !v.perTaskMs.every((x) => typeof x === "number" && Number.isFinite(x))) {
      throw new TypeError(`variant "${variant}" returned perTaskMs that is not an array of numbers`);
    }
    out.perTaskMs = v.perTaskMs as number[];
  }
  if (typeof v.estimate === "string" && v.estimate !== "") out.estimate = v.estimate;
  return out;
}

interface Run {
  wallMs: number;
  processCpuMs: number | null;
  childCpuMs: number | null;
  cpuMs: number | null;
  cpuSource: "measured" | "reported";
  coresBusy: number | null;
  report: VariantReport;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const medianOf = (xs: number[]) => sampleStats(xs).median;

/** What both ways of making an experiment check and share. */
interface Common {
  id: string;
  question: string;
  order: string[];
  baseline: string;
  bounds: Record<string, Bound>;
  estimates: Record<string, string>;
  tolerance: number;
  sameWithin: number;
}

function common(opts: { id: unknown; question: unknown; baseline?: string; bounds?: Record<string, Bound>; estimates?: Record<string, string>; tolerance?: number; sameWithin?: number }, order: string[], what: string): Common {
  const { id, question } = opts;
  if (typeof id !== "string" || id === "") throw new TypeError(`${what}: id must be a non-empty string`);
  if (typeof question !== "string" || question === "") throw new TypeError(`${what}: question must be a non-empty string`);
  if (order.length === 0) throw new RangeError(`${what}: variants must not be empty`);
  const baseline = opts.baseline ?? order[0]!;
  if (!order.includes(baseline)) throw new RangeError(`${what}: baseline "${baseline}" is not one of the variants: ${order.join(", ")}`);
  const bounds = opts.bounds ?? {};
  for (const name of Object.keys(bounds)) {
    if (!order.includes(name)) throw new RangeError(`${what}: bounds name "${name}", which is not a variant (${order.join(", ")})`);
    const b = bounds[name]!;
    if (b.unbounded === true) {
      if (b.ceiling !== undefined || b.floorMs !== undefined) throw new TypeError(`${what}: bound of "${name}" is unbounded and has a limit`);
    } else if (b.ceiling === undefined && b.floorMs === undefined) {
      throw new TypeError(`${what}: bound of "${name}" has neither ceiling nor floorMs (noPhysicalBound(why) when none exists)`);
    }
    if (b.ceiling !== undefined && !(b.ceiling > 0)) throw new RangeError(`${what}: ceiling of "${name}" must be > 0, got ${String(b.ceiling)}`);
    if (b.floorMs !== undefined && !(b.floorMs >= 0)) throw new RangeError(`${what}: floorMs of "${name}" must be >= 0, got ${String(b.floorMs)}`);
    if (typeof b.why !== "string" || b.why === "") throw new TypeError(`${what}: bound of "${name}" must say why`);
    if (name === baseline && b.ceiling !== undefined) throw new RangeError(`${what}: a ceiling on the baseline "${name}" means nothing (it is compared with itself)`);
  }
  const estimates = opts.estimates ?? {};
  for (const name of Object.keys(estimates)) {
    if (!order.includes(name)) throw new RangeError(`${what}: estimates name "${name}", which is not a variant (${order.join(", ")})`);
  }
  return {
    id, question, order, baseline, bounds, estimates,
    tolerance: fraction("tolerance", opts.tolerance ?? 0.1),
    sameWithin: fraction("sameWithin", opts.sameWithin ?? 0.1),
  };
}

/** Statistics, judgement and the result object, from the runs of each variant. */
function build(
  c: Common,
  runs: Record<string, Run[]>,
  rest: { noise: MachineNoise; machine: Record<string, unknown>; settings: Experiment["settings"]; totalMs: number; startedAt: string },
): Experiment {
  const stats: Record<string, VariantStats> = {};
  const known = <T>(xs: (T | null)[]): T[] | null => (xs.every((x) => x !== null) ? (xs as T[]) : null);
  for (const name of c.order) {
    const rs = runs[name]!;
    const s = sampleStats(rs.map((r) => r.wallMs));
    const cpu = known(rs.map((r) => r.cpuMs));
    const proc = known(rs.map((r) => r.processCpuMs));
    const child = known(rs.map((r) => r.childCpuMs));
    const busy = known(rs.map((r) => r.coresBusy));
    const tasks = rs.flatMap((r) => r.report.perTaskMs ?? []);
    const taskStats = tasks.length ? sampleStats(tasks) : null;
    const estimate = c.estimates[name] ?? rs.map((r) => r.report.estimate).find((x) => x !== undefined) ?? null;
    const bound = c.bounds[name] ?? null;
    const floor = checkFloor(name, s.median, bound, c.tolerance);
    stats[name] = {
      name,
      runs: rs.length,
      samplesMs: s.samples.map(round3),
      medianMs: round3(s.median),
      minMs: round3(s.min),
      maxMs: round3(s.max),
      meanMs: round3(s.mean),
      spread: s.median > 0 ? round3((s.max - s.min) / s.median) : 0,
      cpuMs: cpu ? round3(medianOf(cpu)) : null,
      processCpuMs: proc ? round3(medianOf(proc)) : null,
      childCpuMs: child ? round3(medianOf(child)) : null,
      cpuSource: rs.some((r) => r.cpuSource === "reported") ? "reported" : "measured",
      coresBusy: busy ? round3(medianOf(busy)) : null,
      perTask: taskStats
        ? { medianMs: round3(taskStats.median), minMs: round3(taskStats.min), maxMs: round3(taskStats.max), count: tasks.length }
        : null,
      estimate,
      bound,
      suspect: floor.suspect,
      reason: floor.reason,
    };
  }
  const { ratios, verdict } = judge(stats, c.baseline, rest.noise, { tolerance: c.tolerance, sameWithin: c.sameWithin });
  const reasons = [
    ...Object.values(stats).filter((v) => v.suspect && !ratios.some((r) => r.reason?.includes(v.reason!))).map((v) => v.reason!),
    ...ratios.filter((r) => r.suspect).map((r) => `${r.variant}: ${r.reason}`),
  ];
  return {
    id: c.id,
    question: c.question,
    baseline: c.baseline,
    order: c.order,
    variants: stats,
    ratios,
    suspect: reasons.length > 0,
    reason: reasons.length ? reasons.join("; ") : null,
    verdict,
    noise: rest.noise,
    noiseText: describeNoise(rest.noise),
    machine: rest.machine,
    rounds: Math.min(...c.order.map((n) => runs[n]!.length)),
    settings: rest.settings,
    totalMs: round3(rest.totalMs),
    startedAt: rest.startedAt,
  };
}

/**
 * Runs a comparison fairly and judges it (see the module comment). Variants
 * are plain functions (sync or async) doing the same work their own way; they
 * may return a {@link VariantReport}. Start pools and servers before the
 * experiment (and warm them with `warmup`), so that start-up is excluded
 * alike from every variant, or create them inside every variant so that it is
 * included alike.
 *
 * @example
 * ```ts
 * import { experiment, showExperiment, roundsCeiling, sumOfSquares, ThreadPoolExecutor, tasks } from "concurrency-lab";
 * const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
 * const sizes = [3e7, 3e7, 3e7];
 * const e = await experiment({
 *   id: "cpu-threads", question: "Do 3 CPU tasks finish sooner on a pool of 2 threads?",
 *   variants: {
 *     sequential: () => sizes.map((n) => sumOfSquares(n)),
 *     pool: () => pool.mapAll(tasks.sumOfSquares, sizes),
 *   },
 *   bounds: { pool: roundsCeiling({ workers: 2, tasks: 3 }) },
 * });
 * await showExperiment(e); // chart + verdict, e.g. "pool: 1.46x faster than sequential (...); at its ceiling 1.50x (...)"
 * await pool.shutdown();
 * ```
 */
export async function experiment(opts: ExperimentOptions): Promise<Experiment> {
  if (typeof opts !== "object" || opts === null) throw new TypeError("experiment: options must be an object");
  const { variants } = opts;
  if (typeof variants !== "object" || variants === null) throw new TypeError("experiment: variants must be an object of functions");
  const order = Object.keys(variants);
  for (const name of order) if (typeof variants[name] !== "function") throw new TypeError(`experiment: variant "${name}" must be a function`);
  const c = common(opts, order, "experiment");
  const id = c.id;
  const warmup = count("warmup", opts.warmup ?? 1, 0);
  const minRounds = count("rounds", opts.rounds ?? 3, 1);
  const maxRounds = count("maxRounds", opts.maxRounds ?? Math.max(30, minRounds), minRounds);
  const budgetMs = opts.budgetMs ?? 3000;
  if (typeof budgetMs !== "number" || !(budgetMs >= 0)) throw new RangeError(`budgetMs must be a number >= 0, got ${String(budgetMs)}`);
  const p: Probes = { ...defaultProbes, ...opts.probes };
  const extraPids = (): readonly number[] => {
    if (!opts.childPids) return [];
    const pids = opts.childPids();
    if (!Array.isArray(pids)) throw new TypeError("childPids() must return an array of process ids");
    return pids;
  };
  const ticksMs = 1000 / p.ticksPerSecond();
  const cpuMsSince = (c0: { user: number; system: number }) => {
    const c1 = p.cpuUsage();
    return (c1.user - c0.user + c1.system - c0.system) / 1000;
  };

  const call = async (name: string): Promise<unknown> => {
    try {
      return await variants[name]!();
    } catch (err) {
      const e = new Error(`experiment "${id}": variant "${name}" failed: ${(err as Error)?.message ?? String(err)}`);
      (e as Error & { cause?: unknown }).cause = err;
      throw e;
    }
  };

  const runOnce = async (name: string): Promise<Run> => {
    const tree0 = p.readProcessTree(extraPids());
    const c0 = p.cpuUsage();
    const t0 = p.clock();
    const value = await call(name);
    const harnessWall = p.clock() - t0;
    const processCpuMs = cpuMsSince(c0);
    const tree1 = p.readProcessTree(extraPids());
    const report = reportOf(name, value);
    const childCpuMs = tree0 && tree1 ? descendantTicks(tree0, tree1) * ticksMs : null;
    const wallMs = report.wallMs ?? harnessWall;
    let cpuMs: number | null;
    let coresBusy: number | null;
    if (report.cpuMs !== undefined) {
      cpuMs = report.cpuMs;
      const w = report.wallMs ?? harnessWall;
      coresBusy = w > 0 ? cpuMs / w : null;
    } else {
      cpuMs = childCpuMs === null ? null : processCpuMs + childCpuMs;
      coresBusy = cpuMs === null || harnessWall <= 0 ? null : cpuMs / harnessWall;
    }
    return { wallMs, processCpuMs, childCpuMs, cpuMs, cpuSource: report.cpuMs !== undefined ? "reported" : "measured", coresBusy, report };
  };

  const startedAt = new Date().toISOString();
  const start = p.clock();
  for (let w = 0; w < warmup; w++) for (const name of order) await call(name);

  // The timed rounds, bracketed by the machine's counters.
  const stat0 = p.readCpuTicks();
  const tree0 = p.readProcessTree(extraPids());
  const cpu0 = p.cpuUsage();
  const window0 = p.clock();
  const runs: Record<string, Run[]> = Object.fromEntries(order.map((n) => [n, []]));
  let rounds = 0;
  for (;;) {
    const r0 = p.clock();
    for (const name of order) runs[name]!.push(await runOnce(name));
    rounds++;
    const roundMs = p.clock() - r0;
    if (rounds >= maxRounds) break;
    if (rounds >= minRounds && p.clock() - start + roundMs > budgetMs) break;
  }
  const windowMs = p.clock() - window0;
  const ourProcessMs = cpuMsSince(cpu0);
  const tree1 = p.readProcessTree(extraPids());
  const stat1 = p.readCpuTicks();
  const ourCpuMs = tree0 && tree1 ? ourProcessMs + descendantTicks(tree0, tree1) * ticksMs : null;
  const noise = machineNoise(stat0, stat1, { wallMs: windowMs, ourCpuMs, ticksPerSecond: p.ticksPerSecond() });

  const result = build(c, runs, {
    noise,
    machine: p.machine(),
    settings: { warmup, minRounds, maxRounds, budgetMs, tolerance: c.tolerance, sameWithin: c.sameWithin },
    totalMs: p.clock() - start,
    startedAt,
  });
  if (opts.collect !== false) recordResult(result);
  return result;
}

/** Samples of one variant measured elsewhere (e.g. by a Python program), one entry per round. */
export interface VariantSamples {
  /** Time of each round in ms, in round order (the same rounds for every variant). */
  samplesMs: number[];
  /** CPU time of each round in ms, if it was measured. */
  cpuMs?: number[];
  /** Time of each task (all rounds together), if measured. */
  perTaskMs?: number[];
  /** Set when the samples are extrapolated, saying how. */
  estimate?: string;
}

/** Options of {@link experimentFromSamples}. */
export interface SamplesExperimentOptions {
  id: string;
  question: string;
  /** Per variant: its times per round (ms), or {@link VariantSamples}. Rounds must be interleaved where they were taken. */
  variants: Record<string, number[] | VariantSamples>;
  baseline?: string;
  bounds?: Record<string, Bound>;
  estimates?: Record<string, string>;
  /** Noise of the window the samples were taken in (e.g. from `noiseDuring`); default unknown. */
  noise?: MachineNoise;
  tolerance?: number;
  sameWithin?: number;
  collect?: boolean;
  /** Facts about the machine; default `machineInfo()`'s. */
  machine?: Record<string, unknown>;
}

/**
 * Judges samples measured elsewhere (a Python program that timed its own
 * variants round by round, say) exactly as {@link experiment} judges its own
 * runs: same statistics, bounds, suspect flags, verdict, and the same place in
 * the results collection. Sample `i` of every variant must come from the same
 * round `i`, the rounds interleaved where they were taken.
 *
 * @example
 * ```ts
 * import { experimentFromSamples, noiseDuring, runPython, showExperiment, roundsCeiling } from "concurrency-lab";
 * const { value: py, noise } = await noiseDuring(() => runPython<{ seq: number[]; pool: number[] }>("python/pool.py"));
 * const e = experimentFromSamples({
 *   id: "python-pool", question: "Python: 3 CPU tasks on a pool of 2 processes",
 *   variants: { sequential: py.result.seq, pool: py.result.pool },
 *   bounds: { pool: roundsCeiling({ workers: 2, tasks: 3 }) }, noise,
 * });
 * await showExperiment(e);
 * ```
 */
export function experimentFromSamples(opts: SamplesExperimentOptions): Experiment {
  if (typeof opts !== "object" || opts === null) throw new TypeError("experimentFromSamples: options must be an object");
  const what = "experimentFromSamples";
  if (typeof opts.variants !== "object" || opts.variants === null) throw new TypeError(`${what}: variants must be an object`);
  const order = Object.keys(opts.variants);
  const c = common(opts, order, what);
  const nums = (name: string, field: string, xs: unknown): number[] => {
    if (!Array.isArray(xs) || xs.length === 0 || !xs.every((x) => typeof x === "number" && Number.isFinite(x) && x >= 0)) {
      throw new TypeError(`${what}: ${field} of "${name}" must be a non-empty array of numbers >= 0`);
    }
    return xs as number[];
  };
  const runs: Record<string, Run[]> = {};
  let rounds: number | null = null;
  for (const name of order) {
    const raw = opts.variants[name]!;
    const v: VariantSamples = Array.isArray(raw) ? { samplesMs: raw } : raw;
    const wall = nums(name, "samplesMs", v?.samplesMs);
    const cpu = v.cpuMs === undefined ? null : nums(name, "cpuMs", v.cpuMs);
    if (cpu && cpu.length !== wall.length) throw new RangeError(`${what}: "${name}" has ${wall.length} samplesMs but ${cpu.length} cpuMs`);
    if (rounds !== null && wall.length !== rounds) throw new RangeError(`${what}: every variant needs the same number of rounds ("${name}" has ${wall.length}, not ${rounds})`);
    rounds = wall.length;
    const perTask = v.perTaskMs === undefined ? undefined : nums(name, "perTaskMs", v.perTaskMs);
    runs[name] = wall.map((w, i) => ({
      wallMs: w,
      processCpuMs: null,
      childCpuMs: null,
      cpuMs: cpu ? cpu[i]! : null,
      cpuSource: "reported",
      coresBusy: cpu && w > 0 ? cpu[i]! / w : null,
      report: { ...(i === 0 && perTask ? { perTaskMs: perTask } : {}), ...(v.estimate ? { estimate: v.estimate } : {}) },
    }));
  }
  const noise: MachineNoise = opts.noise ?? { known: false, reason: "the samples were taken elsewhere, without a reading of /proc/stat" };
  const result = build(c, runs, {
    noise,
    machine: opts.machine ?? defaultProbes.machine(),
    settings: { warmup: 0, minRounds: rounds!, maxRounds: rounds!, budgetMs: 0, tolerance: c.tolerance, sameWithin: c.sameWithin },
    totalMs: 0,
    startedAt: new Date().toISOString(),
  });
  if (opts.collect !== false) recordResult(result);
  return result;
}
