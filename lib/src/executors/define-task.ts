import { createRequire } from "node:module";
import * as path from "node:path";
import type { Task } from "./task";

/** The `module` of tasks made by defineTask: they travel as source text. */
const SOURCE_MODULE = "<defineTask>";

/**
 * Turns a self-contained function written in a notebook cell into a task both
 * pools can run, by shipping its source text to the workers.
 *
 * Self-contained means: it uses only its parameters, its own local variables,
 * JavaScript globals (Math, JSON, ...) and modules it loads itself with
 * `require(...)` (resolved from the current directory). A worker thread or
 * child process is a separate JavaScript world: it does not share the
 * notebook's memory, so a variable or import from outside the function does
 * not exist there. Using one fails with a ReferenceError that explains this;
 * pass the value as an argument instead. This is the Node side of Python's
 * rule that what you send to a process must be picklable.
 *
 * @example
 * ```ts
 * const square = defineTask((x: number) => x * x);
 * await pool.mapAll(square, [1, 2, 3]); // [1, 4, 9]
 *
 * const factor = 3;
 * const triple = defineTask((x: number) => x * factor); // runs, but fails in the worker:
 * // ReferenceError: factor is not defined in the worker ... pass its value as an argument
 * ```
 */
export function defineTask<A extends unknown[], R>(fn: (...args: A) => R, name?: string): Task<A, Awaited<R>> {
  if (typeof fn !== "function") throw new TypeError(`defineTask needs a function, got ${typeof fn}`);
  const taskName = name ?? (fn.name || "anonymous task");
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new TypeError(`defineTask(${taskName}): a built-in or bound function has no source to ship; wrap it: defineTask((x) => ...)`);
  }
  if (/^class[\s{]/.test(source)) throw new TypeError(`defineTask(${taskName}): got a class; pass a function`);
  compileTaskSource(source, taskName); // a syntax problem shows up here, in the notebook, not in a worker
  return { module: SOURCE_MODULE, name: taskName, source };
}

/**
 * Evaluates a shipped function's source in the current (worker) thread, with a
 * `require` that resolves from the current directory. Method shorthand
 * (`name(x) { ... }`) is accepted too.
 *
 * @example
 * ```ts
 * import { compileTaskSource } from "concurrency-lab";
 * const square = compileTaskSource("(x) => x * x", "square");
 * square(4); // 16
 * ```
 * @internal
 */
export function compileTaskSource(source: string, name: string): (...args: unknown[]) => unknown {
  const require = createRequire(path.join(process.cwd(), "noop.js"));
  const evaluate = (code: string) => new Function("require", `"use strict"; return (${code});`)(require) as unknown;
  let fn: unknown;
  try {
    fn = evaluate(source);
  } catch (first) {
    try {
      fn = evaluate(`{ ${source} }`);
      fn = (fn as Record<string, unknown>)[Object.keys(fn as object)[0] ?? ""];
    } catch {
      throw new TypeError(`defineTask(${name}): its source does not compile on its own (${(first as Error).message}); write it as a function expression or arrow function`);
    }
  }
  if (typeof fn !== "function") throw new TypeError(`defineTask(${name}): the source is not a function`);
  return fn as (...args: unknown[]) => unknown;
}

/**
 * Rewrites "x is not defined" from a shipped function into the explanation a
 * student needs: the worker has no copy of the notebook's variables.
 *
 * @example
 * ```ts
 * import { explainMissingVariable } from "concurrency-lab";
 * const e = explainMissingVariable(new ReferenceError("factor is not defined"), "scale", "thread 1");
 * e.message; // "factor is not defined in the worker (thread 1) running scale. A defineTask function …"
 * ```
 * @internal
 */
export function explainMissingVariable(error: ReferenceError, taskName: string, lane: string, source?: string): ReferenceError {
  let variable = /^(\S+) is not defined/.exec(error.message)?.[1];
  if (variable === undefined) return error;
  // A notebook cell is compiled to CommonJS: a name from another cell reads as `exports.name` in the source.
  const fromCell = variable === "exports" && source !== undefined ? /\bexports\.([A-Za-z_$][\w$]*)/.exec(source)?.[1] : undefined;
  let where = "";
  if (fromCell !== undefined) {
    variable = fromCell;
    where = ` (a name from another notebook cell, which the compiled cell reads as exports.${fromCell})`;
  }
  error.message =
    `${variable}${where} is not defined in the worker (${lane}) running ${taskName}. ` +
    `A defineTask function runs in another thread or process, which does not share the notebook's memory: ` +
    `variables and imports from outside the function do not exist there. ` +
    `Define ${variable} inside the function, require() it there, or pass its value as an argument ` +
    `(data travels to a worker; functions do not).`;
  return error;
}
