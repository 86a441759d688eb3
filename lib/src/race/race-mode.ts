/**
 * How the racing threads of `counterRace` add 1 to the shared counter:
 * - `unsafe`: read it, then write read + 1 (two steps another thread can slip between);
 * - `atomic`: `Atomics.add`, one indivisible step;
 * - `mutex`: the unsafe read and write, inside a `Mutex`.
 * Its own module so that `race.ts` and its worker file both use it without importing each other.
 *
 * @example
 * ```ts
 * import { counterRace, type RaceMode } from "concurrency-lab";
 * const mode: RaceMode = "atomic";
 * const { actual, expected } = await counterRace({ threads: 2, increments: 1000, mode });
 * ```
 */
export type RaceMode = "unsafe" | "atomic" | "mutex";
