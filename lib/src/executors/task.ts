import * as path from "node:path";
import type { Span } from "../measure/timeline";

/**
 * A function a worker thread or child process can run: a reference to a named
 * export of a compiled JavaScript module (workers load the module themselves),
 * or, for {@link defineTask}, the function's source text. The type parameters
 * are the function's argument list and result, so `pool.submit(task, ...args)`
 * is type-checked; they do not exist at run time.
 *
 * @example
 * ```ts
 * const countPrimes: Task<[start: number, end: number], number> = tasks.countPrimes;
 * await pool.submit(countPrimes, 0, 100_000); // 9592
 * ```
 */
export interface Task<A extends unknown[], R> {
  /** Absolute path of the compiled module that exports the function (or "<defineTask>"). */
  readonly module: string;
  /** The export's name (the function's name for defineTask). */
  readonly name: string;
  /** The function's source text, for tasks made by defineTask. */
  readonly source?: string;
  /** Type-only: the function's signature. Never set. */
  readonly __signature?: (...args: A) => R;
}

/**
 * Makes a task from a named export of a compiled `.js` module. Relative paths
 * are resolved against the current directory (the notebook's folder).
 * Inside a compiled module, pass `__filename` to refer to its own exports.
 *
 * @example
 * ```ts
 * // primes.js: exports.countTwins = (n) => { ... }
 * const countTwins = taskFrom<[n: number], number>("./primes.js", "countTwins");
 * await pool.submit(countTwins, 1_000_000);
 * ```
 */
export function taskFrom<A extends unknown[], R>(modulePath: string, exportName: string): Task<A, R> {
  if (typeof modulePath !== "string" || modulePath === "") throw new TypeError("modulePath must be a non-empty path to a .js module");
  if (typeof exportName !== "string" || exportName === "") throw new TypeError("exportName must be a non-empty export name");
  return { module: path.resolve(modulePath), name: exportName };
}

/**
 * What a pool sends to a worker: which function to run and the argument lists
 * to run it with, one after another (one list for `submit`, a chunk for `map`).
 * @internal
 */
export interface TaskCall {
  module: string;
  name: string;
  source?: string;
  argsList: unknown[][];
}

/** An error as it crosses from a worker to the notebook (see remote-error.ts). @internal */
export interface SerializedError {
  className: string;
  name: string;
  message: string;
  stack?: string;
  props: Record<string, unknown>;
  cause?: SerializedError;
}

/** What a worker sends back: the values (one per argument list) or the error, and the span it ran in. @internal */
export type TaskReply = { ok: true; values: unknown[]; span: Span } | { ok: false; error: SerializedError; span: Span };
