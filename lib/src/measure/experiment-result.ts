/**
 * What an experiment gives back: the judged comparison as plain data, kept in
 * the results collection (`results()`, `saveResults`) and drawn by `showExperiment`.
 * In a file of its own so that `experiment.ts` and `results.ts` do not import each other.
 */
import type { MachineNoise } from "./machine-noise";
import type { RatioResult, VariantStats } from "./verdict";

/** The result of `experiment()`: statistics, ratios, bounds, noise and the verdict. Plain data (JSON). */
export interface Experiment {
  id: string;
  question: string;
  baseline: string;
  /** Variant names in run order. */
  order: string[];
  variants: Record<string, VariantStats>;
  /** Each non-baseline variant against the baseline. */
  ratios: RatioResult[];
  /** True when any variant or ratio is suspect (beyond a bound, or too noisy to tell). */
  suspect: boolean;
  /** The reasons, when suspect. */
  reason: string | null;
  /** The sentences, one per line, produced from the numbers. */
  verdict: string;
  /** Machine noise during the timed rounds. */
  noise: MachineNoise;
  /** The noise as a sentence. */
  noiseText: string;
  machine: Record<string, unknown>;
  /** Timed rounds done. */
  rounds: number;
  settings: { warmup: number; minRounds: number; maxRounds: number; budgetMs: number; tolerance: number; sameWithin: number };
  /** Wall time of the whole experiment, warm-up included. */
  totalMs: number;
  /** When it ran (ISO 8601). */
  startedAt: string;
}
