import { now } from "../measure/clock";
import { currentLane } from "../measure/timeline";
import { findUncloneable } from "./cloneability";
import { compileTaskSource, explainMissingVariable } from "./define-task";
import { serializeError } from "./remote-error";
import type { TaskCall, TaskReply } from "./task";

// Worker side, shared by the thread-pool worker and the process-pool child.

type AnyFunction = (...args: unknown[]) => unknown;
const loaded = new Map<string, AnyFunction>();

function resolveTask(call: TaskCall): AnyFunction {
  const key = call.source ?? `${call.module}#${call.name}`;
  let fn = loaded.get(key);
  if (fn !== undefined) return fn;
  if (call.source !== undefined) {
    fn = compileTaskSource(call.source, call.name);
  } else {
    const exports = require(call.module) as Record<string, unknown>;
    const found = exports[call.name];
    if (typeof found !== "function") {
      throw new TypeError(`${call.module} has no exported function "${call.name}" (exports: ${Object.keys(exports).join(", ") || "none"})`);
    }
    fn = found as AnyFunction;
  }
  loaded.set(key, fn);
  return fn;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}

/**
 * Runs one call (each argument list in turn) in this thread or process and
 * returns the values or the error as plain, cloneable data, with the span it ran in.
 *
 * @example
 * ```ts
 * const reply = await runTaskCall({ module: "", name: "double", source: "(x) => 2 * x", argsList: [[1], [2]] });
 * reply; // { ok: true, values: [2, 4], span: { label: "double ×2", lane: "main", … } }
 * ```
 * @internal
 */
export async function runTaskCall(call: TaskCall): Promise<TaskReply> {
  const lane = currentLane();
  const start = now();
  const span = () => ({ label: call.argsList.length === 1 ? call.name : `${call.name} ×${call.argsList.length}`, lane, start, end: now(), kind: "running" });
  try {
    const fn = resolveTask(call);
    const values: unknown[] = [];
    for (const args of call.argsList) {
      let value = fn(...args);
      if (isThenable(value)) value = await value;
      values.push(value);
    }
    const bad = findUncloneable(values, "results");
    if (bad) {
      const which = call.argsList.length === 1 ? bad.path.replace(/^results\[0\]/, "the result") : bad.path;
      throw new TypeError(`${call.name} returned a value that cannot be sent back from ${lane}: ${which} ${bad.reason}`);
    }
    return { ok: true, values, span: span() };
  } catch (error) {
    const explained = call.source !== undefined && error instanceof ReferenceError ? explainMissingVariable(error, call.name, lane, call.source) : error;
    return { ok: false, error: serializeError(explained), span: span() };
  }
}
