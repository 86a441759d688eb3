/**
 * Verdicts: the sentences of a comparison, produced from its numbers.
 *
 * Given each variant's statistics, its bound and the machine's noise, {@link judge}
 * decides for every variant against the baseline one outcome (faster, slower,
 * no gain, too noisy to tell, beyond its bound) and writes the sentence that
 * says so: it names the bound, and when a gain falls short of it, only the
 * reasons the data measured (each task slower in parallel, fewer cores busy,
 * more CPU for the same work, other programs' load, steal). When the data
 * shows no reason, the sentence says so instead of guessing.
 */
import type { Bound } from "./bounds";
import type { MachineNoise } from "./machine-noise";

/** Summary statistics of one variant over the rounds of an experiment. */
export interface VariantStats {
  name: string;
  /** Timed runs (rounds). */
  runs: number;
  /** Time of each run in ms, in round order. */
  samplesMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  meanMs: number;
  /** (max - min) / median: 0.1 means the runs varied over 10% of the median. */
  spread: number;
  /** Median CPU time per run, this process plus its child processes (or as the variant reported); null = unknown. */
  cpuMs: number | null;
  /** Median CPU time per run of this process alone (all its threads); null when the samples came from elsewhere. */
  processCpuMs: number | null;
  /** Median CPU time per run of child processes; null = unknown (no /proc). */
  childCpuMs: number | null;
  /** "measured" by the harness, or "reported" by the variant itself. */
  cpuSource: "measured" | "reported";
  /** Median of CPU / wall per run: how many cores were busy on average; null = unknown. */
  coresBusy: number | null;
  /** Per-task times the variant reported (all rounds together), or null. */
  perTask: { medianMs: number; minMs: number; maxMs: number; count: number } | null;
  /** How the value was extrapolated when it is an estimate, else null. */
  estimate: string | null;
  /** The variant's bound, if any. */
  bound: Bound | null;
  /** True when the variant's time is below its floor (more than the tolerance). */
  suspect: boolean;
  reason: string | null;
}

/** The outcome of one variant against the baseline. */
export type Outcome = "faster" | "slower" | "no gain" | "too noisy" | "beyond bound";

/** One variant compared with the baseline. */
export interface RatioResult {
  variant: string;
  baseline: string;
  /** Baseline median / variant median: above 1 the variant was faster. */
  speedup: number;
  /** Lowest and highest speed-up of single rounds (each round's baseline run over its variant run). */
  roundRange: [number, number];
  /**
   * The range the outcome is judged on: single-round speed-ups without the `trimmed` most
   * extreme rounds at each end (floor(rounds / 5): none below 5 rounds, one of 5 to 9, ...).
   */
  judgedRange: [number, number];
  /** Rounds set aside at each end of the range before judging. */
  trimmed: number;
  /** The speed-up's ceiling, if the variant's bound has one. */
  ceiling: number | null;
  bound: Bound | null;
  outcome: Outcome;
  /** Beyond a bound, or too noisy to separate: not evidence. */
  suspect: boolean;
  reason: string | null;
  /** Set when either side is an estimate. */
  estimate: string | null;
  /** The sentence for this comparison. */
  verdict: string;
}

/** Thresholds of {@link judge}. */
export interface JudgeOptions {
  /** Allowance beyond a bound before it is suspect (timers, scheduling): default 0.1 = 10%. */
  tolerance?: number;
  /** Speed-ups within 1 ± this count as "no gain": default 0.1 = 10%. */
  sameWithin?: number;
}

/**
 * A duration for a sentence: "212 ms", "1.23 s".
 *
 * @example
 * ```ts
 * import { formatMs } from "concurrency-lab";
 * formatMs(1234); // "1.23 s"
 * formatMs(51.04); // "51.0 ms"
 * ```
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (Math.abs(ms) >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (Math.abs(ms) >= 100) return `${ms.toFixed(0)} ms`;
  if (Math.abs(ms) >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/**
 * A ratio for a sentence: "1.42x".
 *
 * @example
 * ```ts
 * import { formatRatio } from "concurrency-lab";
 * formatRatio(1.4249); // "1.42x"
 * formatRatio(7877.4); // "7,900x": two significant figures at the extremes
 * ```
 */
export function formatRatio(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? "unbounded (a time of 0)" : String(x);
  // Two significant figures at the extremes: a ratio against a time near the clock's resolution is only
  // an order of magnitude, and "0.00x" would hide a real, tiny ratio.
  if (x >= 100 || (x > 0 && x < 0.1)) return `${Number(x.toPrecision(2)).toLocaleString("en", { maximumSignificantDigits: 2 })}x`;
  return `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}x`;
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

/**
 * Checks one variant's time against its floor: suspect when the median is
 * below `floorMs × (1 − tolerance)`.
 *
 * @example
 * ```ts
 * import { checkFloor } from "concurrency-lab";
 * checkFloor("threads", 600, { floorMs: 1000, why: "4 rounds x 250 ms" }, 0.1);
 * // { suspect: true, reason: "threads took 600 ms, below its floor of 1.00 s (4 rounds x 250 ms) by more than 10%" }
 * ```
 */
export function checkFloor(name: string, medianMs: number, bound: Bound | null | undefined, tolerance = 0.1): { suspect: boolean; reason: string | null } {
  if (bound?.floorMs === undefined) return { suspect: false, reason: null };
  if (medianMs < bound.floorMs * (1 - tolerance)) {
    return {
      suspect: true,
      reason: `${name} took ${formatMs(medianMs)}, below its floor of ${formatMs(bound.floorMs)} (${bound.why}) by more than ${pct(tolerance)}`,
    };
  }
  return { suspect: false, reason: null };
}

/**
 * Reasons, measured, why variant `v` gained less than it could over `b`
 * (or lost): each only when the numbers show it. An empty list means the data
 * shows no reason.
 *
 * @example
 * ```ts
 * import { experimentFromSamples, measuredReasons } from "concurrency-lab";
 * const e = experimentFromSamples({ id: "r", question: "?", collect: false, variants: {
 *   seq: { samplesMs: [400, 400, 400], perTaskMs: [100, 100, 100, 100] },
 *   pool: { samplesMs: [280, 280, 280], perTaskMs: [140, 140, 140, 140] } } });
 * measuredReasons(e.variants.pool, e.variants.seq, e.noise, 2);
 * // ["each task took 140 ms in pool against 100 ms in seq (1.40x as long)"]
 * ```
 */
export function measuredReasons(v: VariantStats, b: VariantStats, noise: MachineNoise, ceiling: number | null, opts: JudgeOptions = {}): string[] {
  const tol = opts.tolerance ?? 0.1;
  const same = opts.sameWithin ?? 0.1;
  const reasons: string[] = [];
  if (v.perTask && b.perTask && v.perTask.medianMs > b.perTask.medianMs * (1 + same)) {
    reasons.push(
      `each task took ${formatMs(v.perTask.medianMs)} in ${v.name} against ${formatMs(b.perTask.medianMs)} in ${b.name} ` +
        `(${formatRatio(v.perTask.medianMs / b.perTask.medianMs)} as long)`,
    );
  }
  if (ceiling !== null && ceiling > 1 && v.coresBusy !== null && v.coresBusy < ceiling * (1 - tol)) {
    reasons.push(`${v.name} kept ${v.coresBusy.toFixed(2)} cores busy on average, where the ceiling needs ${ceiling}`);
  }
  if (v.cpuMs !== null && b.cpuMs !== null && v.cpuMs > b.cpuMs * (1 + same)) {
    reasons.push(`${v.name} used ${formatMs(v.cpuMs)} of CPU per run against ${formatMs(b.cpuMs)} for ${b.name}`);
  }
  if (noise.known && noise.otherCores >= 0.25) {
    reasons.push(`other programs kept ${noise.otherCores.toFixed(2)} cores busy during the run`);
  }
  if (noise.known && noise.stealShare >= 0.02) {
    reasons.push(`the hypervisor took ${(noise.stealShare * 100).toFixed(1)}% of CPU time (steal)`);
  }
  return reasons;
}

function reasonsText(reasons: string[]): string {
  if (reasons.length === 0) return "the measurements taken here do not show why";
  return reasons.join("; ");
}

/**
 * Why a slower variant took its time, when its own floor (the deliberate
 * waits) explains it: it sits at its floor (within the tolerance), so nothing
 * else needs explaining; or its floor alone is longer than the baseline's
 * time, so the floor accounts for the direction and only the time above it is
 * left to the measured reasons. Null when the floor explains neither (or there
 * is none): then the measured reasons stand alone.
 *
 * @example
 * ```ts
 * import { experimentFromSamples, floorReason } from "concurrency-lab";
 * const e = experimentFromSamples({ id: "s", question: "?", collect: false,
 *   variants: { all: [105, 104, 106], limited: [310, 305, 312] },
 *   bounds: { limited: { floorMs: 300, why: "3 waves x 100 ms" } } });
 * floorReason(e.variants.limited, e.variants.all, e.noise, null);
 * // "limited sits at its floor of 300 ms (3 waves x 100 ms): the deliberate waits set its time, not CPU or load"
 * ```
 */
export function floorReason(v: VariantStats, b: VariantStats, noise: MachineNoise, ceiling: number | null, opts: JudgeOptions = {}): string | null {
  const tol = opts.tolerance ?? 0.1;
  const same = opts.sameWithin ?? 0.1;
  const floor = v.bound?.floorMs;
  if (floor === undefined || !(floor > 0) || v.suspect) return null;
  const its = `its floor of ${formatMs(floor)} (${v.bound!.why})`;
  if (v.medianMs <= floor * (1 + tol)) return `${v.name} sits at ${its}: the deliberate waits set its time, not CPU or load`;
  if (floor < b.medianMs * (1 + same)) return null;
  const rest = reasonsText(measuredReasons(v, b, noise, ceiling, opts));
  return `${its} alone makes it ${formatRatio(floor / b.medianMs)} as long as ${b.name}'s ${formatMs(b.medianMs)}; ` +
    `for the ${formatMs(v.medianMs - floor)} above that floor: ${rest}`;
}

/**
 * Compares variant `v` with baseline `b` and writes the verdict.
 *
 * Rules (s = `sameWithin`, t = `tolerance`; speed-up = baseline median / variant median,
 * round range = lowest and highest single-round speed-up):
 * - beyond bound: speed-up > ceiling × (1 + t), or either side below its floor → suspect;
 * - faster: speed-up ≥ 1 + s and every judged round faster;
 * - slower: speed-up ≤ 1 / (1 + s) and every judged round slower; when the variant sits at its
 *   floor, or its floor alone is longer than the baseline's time, the floor is named as the
 *   cause ({@link floorReason}) before any measured reason;
 * - no gain: speed-up within (1 / (1 + s), 1 + s) and every judged round within (1 / (1 + s)², (1 + s)²);
 *
 * "Judged rounds": all rounds below 5; from 5 rounds on, the floor(rounds / 5) most extreme
 * single-round speed-ups at each end are set aside, so one round hit by a
 * passing load neither makes nor breaks a verdict.
 * - too noisy: anything else (the rounds disagree) → suspect.
 *
 * @example
 * ```ts
 * import { compareVariants, experimentFromSamples } from "concurrency-lab";
 * const e = experimentFromSamples({ id: "c", question: "?", collect: false,
 *   variants: { sequential: [400, 410, 400], pool: [205, 210, 200] } });
 * compareVariants(e.variants.pool, e.variants.sequential, [400 / 205, 410 / 210, 400 / 200], e.noise).verdict;
 * // "pool: 1.95x faster than sequential (median 205 ms against 400 ms; 3 rounds, all faster)."
 * ```
 */
export function compareVariants(v: VariantStats, b: VariantStats, roundRatios: number[], noise: MachineNoise, opts: JudgeOptions = {}): RatioResult {
  const tol = opts.tolerance ?? 0.1;
  const same = opts.sameWithin ?? 0.1;
  const speedup = b.medianMs / v.medianMs;
  if (roundRatios.length === 0) throw new RangeError("compareVariants: no rounds to compare");
  const sorted = [...roundRatios].sort((x, y) => x - y);
  const n = sorted.length;
  const trimmed = Math.floor(n / 5);
  const lo = sorted[trimmed]!;
  const hi = sorted[n - 1 - trimmed]!;
  const rounds = (what: string) => (trimmed === 0 ? `${n} round${n === 1 ? "" : "s"}, ${n === 1 ? "" : "all "}${what}` : `the middle ${n - 2 * trimmed} of ${n} rounds ${what}`);
  const ceiling = v.bound?.ceiling ?? null;
  const estimate = [v.estimate && `${v.name}: ${v.estimate}`, b.estimate && `${b.name}: ${b.estimate}`].filter(Boolean).join("; ") || null;
  const lead = estimate ? `Estimate (${estimate}): ` : "";
  const medians = `median ${formatMs(v.medianMs)} against ${formatMs(b.medianMs)}`;
  const ceilingText = ceiling === null ? "" : `ceiling ${formatRatio(ceiling)} (${v.bound!.why})`;
  const base = { variant: v.name, baseline: b.name, speedup, roundRange: [sorted[0]!, sorted[n - 1]!] as [number, number],
    judgedRange: [lo, hi] as [number, number], trimmed, ceiling, bound: v.bound, estimate };

  // 1. Bounds.
  const beyond: string[] = [];
  if (ceiling !== null && speedup > ceiling * (1 + tol)) {
    beyond.push(`its speed-up of ${formatRatio(speedup)} is beyond the ${ceilingText} by more than ${pct(tol)}`);
  }
  if (v.suspect && v.reason) beyond.push(v.reason);
  if (b.suspect && b.reason) beyond.push(b.reason);
  if (beyond.length) {
    const cpuNote = v.cpuMs !== null && b.cpuMs !== null && Math.abs(v.cpuMs / b.cpuMs - 1) > same
      ? `. CPU per run: ${formatMs(b.cpuMs)} for ${b.name}, ${formatMs(v.cpuMs)} for ${v.name}`
      : "";
    const reason = beyond.join("; ");
    const why = ceiling !== null && speedup > ceiling * (1 + tol)
      ? "Running side by side cannot do that: the two did not do the same work, or the machine's speed changed between them."
      : "No schedule can shorten the deliberate waits: the run did not do the work its floor assumes.";
    return {
      ...base, outcome: "beyond bound", suspect: true, reason,
      verdict: `${lead}SUSPECT, not evidence: ${v.name} against ${b.name}: ${reason} (${medians}, ${n} round${n === 1 ? "" : "s"})${cpuNote}. ${why}`,
    };
  }

  // 2. Direction, from every round.
  const shortOfCeiling = ceiling !== null && speedup < ceiling * (1 - tol);
  const whyShort = () => reasonsText(measuredReasons(v, b, noise, ceiling, opts));
  const ceilingClause = () => {
    if (ceiling === null) return "";
    if (!shortOfCeiling) return `; at its ${ceilingText}`;
    return `; short of its ${ceilingText}: ${whyShort()}`;
  };
  if (speedup >= 1 + same && lo > 1) {
    return { ...base, outcome: "faster", suspect: false, reason: null,
      verdict: `${lead}${v.name}: ${formatRatio(speedup)} faster than ${b.name} (${medians}; ${rounds("faster")})${ceilingClause()}.` };
  }
  if (speedup <= 1 / (1 + same) && hi < 1) {
    const why = floorReason(v, b, noise, ceiling, opts) ?? reasonsText(measuredReasons(v, b, noise, ceiling, opts));
    const allowed = ceiling === null ? "" : ceiling > 1 ? `, where the ${ceilingText} allows a gain` : `; its ${ceilingText} allows no gain`;
    return { ...base, outcome: "slower", suspect: false, reason: null,
      verdict: `${lead}${v.name}: ${formatRatio(1 / speedup)} slower than ${b.name} (${medians}; ${rounds("slower")})${allowed}: ${why}.` };
  }
  if (speedup > 1 / (1 + same) && speedup < 1 + same && lo > 1 / (1 + same) ** 2 && hi < (1 + same) ** 2) {
    return { ...base, outcome: "no gain", suspect: false, reason: null,
      verdict: `${lead}No gain: ${v.name} and ${b.name} took about the same time (${formatRatio(speedup)}, ${medians}; ` +
        `${rounds(`within ${pct((1 + same) ** 2 - 1)}`)})${ceilingClause()}.` };
  }
  const spreads = `spreads ${pct(v.spread)} for ${v.name} and ${pct(b.spread)} for ${b.name}`;
  const load = measuredReasons(v, b, noise, null, opts).filter((r) => r.startsWith("other programs") || r.startsWith("the hypervisor"));
  const range = trimmed === 0 ? "single rounds" : `the middle ${n - 2 * trimmed} of ${n} rounds`;
  const reason = `${range} ranged from ${formatRatio(lo)} to ${formatRatio(hi)}, which does not separate the variants (${spreads})`;
  return { ...base, outcome: "too noisy", suspect: true, reason,
    verdict: `${lead}Too noisy to tell: ${v.name} against ${b.name} measured ${formatRatio(speedup)} (${medians}, ${n} round${n === 1 ? "" : "s"}), but ${reason}` +
      `${load.length ? `; ${load.join("; ")}` : ""}. Not evidence: a quieter machine or a longer budget may separate them.` };
}

/**
 * Sentence for a variant's floor when it is not suspect: how far above its floor it landed.
 *
 * @example
 * ```ts
 * import { experimentFromSamples, floorSentence } from "concurrency-lab";
 * const e = experimentFromSamples({ id: "f", question: "?", collect: false, variants: { threads: [1080] },
 *   bounds: { threads: { floorMs: 1000, why: "4 rounds x 250 ms" } } });
 * floorSentence(e.variants.threads); // "threads took 1.08 s, 80.0 ms (8%) above its floor of 1.00 s (4 rounds x 250 ms)."
 * ```
 */
export function floorSentence(v: VariantStats): string | null {
  if (v.bound?.floorMs === undefined || v.suspect) return null;
  const over = v.medianMs - v.bound.floorMs;
  const rel = v.bound.floorMs > 0 ? ` (${pct(Math.max(0, over) / v.bound.floorMs)})` : "";
  return `${v.estimate ? "Estimate: " : ""}${v.name} took ${formatMs(v.medianMs)}, ${formatMs(Math.max(0, over))}${rel} above its floor of ` +
    `${formatMs(v.bound.floorMs)} (${v.bound.why}).`;
}

/**
 * Judges every variant of an experiment against the baseline.
 * `rounds[name]` holds that variant's time per round (same order for all).
 * Returns one {@link RatioResult} per non-baseline variant and the whole
 * verdict: one sentence per variant, then the floors, then the noise.
 *
 * @example
 * ```ts
 * import { experimentFromSamples, judge } from "concurrency-lab";
 * const e = experimentFromSamples({ id: "j", question: "?", collect: false,
 *   variants: { sequential: [300, 300, 300], pool: [120, 125, 118] } });
 * judge(e.variants, "sequential", e.noise, { tolerance: 0.2 }).ratios[0].outcome; // "faster"
 * ```
 */
export function judge(
  stats: Record<string, VariantStats>,
  baseline: string,
  noise: MachineNoise,
  opts: JudgeOptions = {},
): { ratios: RatioResult[]; verdict: string } {
  const b = stats[baseline];
  if (!b) throw new RangeError(`baseline "${baseline}" is not one of the variants: ${Object.keys(stats).join(", ")}`);
  const ratios: RatioResult[] = [];
  for (const v of Object.values(stats)) {
    if (v.name === baseline) continue;
    const n = Math.min(v.samplesMs.length, b.samplesMs.length);
    const roundRatios = Array.from({ length: n }, (_, i) => b.samplesMs[i]! / v.samplesMs[i]!);
    ratios.push(compareVariants(v, b, roundRatios, noise, opts));
  }
  const lines = ratios.map((r) => r.verdict);
  for (const v of Object.values(stats)) {
    const f = floorSentence(v);
    if (f) lines.push(f);
    else if (v.suspect && ratios.length === 0) lines.push(`SUSPECT, not evidence: ${v.reason}.`);
  }
  if (ratios.length === 0 && lines.length === 0) {
    lines.push(`${b.estimate ? "Estimate: " : ""}${b.name} took ${formatMs(b.medianMs)} (median of ${b.runs}, spread ${pct(b.spread)}).`);
  }
  return { ratios, verdict: lines.join("\n") };
}
