/**
 * What travels through Redis between a {@link QueueExecutor} and its workers:
 * JSON only, as Celery sends a task name and JSON arguments.
 * @internal
 */
import type { SerializedError } from "../executors/task";
import type { Span } from "../measure/timeline";

/** A job's data: which task, and the argument lists to run it with (one for submit, a chunk for map). @internal */
export interface QueueJobData {
  /** The task's name: the worker looks it up in its registry when `module` is not on its disk. */
  task: string;
  /** The compiled module that exports it, as seen by the producer. */
  module: string;
  /** The function's source, for defineTask tasks (run only by workers that allow it). */
  source?: string;
  args: unknown[][];
  /** Ask the worker to announce each start (lane, time) with a progress event. */
  announce?: boolean;
}

/** Where a worker runs and when, on the machine's clock and on the wall clock. @internal */
export interface WorkerStamp {
  lane: string;
  host: string;
  /** Shared monotonic clock of the worker's machine ({@link now}). */
  start: number;
  /** Date.now() at the same moment, for workers on another machine. */
  wallStart: number;
}

/** A job's return value: the values, which of them were `undefined` (JSON has no undefined), and the span. @internal */
export interface QueueReply {
  values: unknown[];
  undefinedAt?: number[];
  span: Span;
  host: string;
  /** Date.now() - now() on the worker, to place its span on another machine's clock. */
  wallOffset: number;
}

/** Progress events a worker sends: a start (when asked) or the details of a failed attempt. @internal */
export type QueueProgress =
  | ({ kind: "start"; attempt: number } & WorkerStamp)
  | { kind: "error"; attempt: number; error: SerializedError; span: Span; host: string; wallOffset: number };

/**
 * The first part of `value` that JSON cannot carry faithfully, with a path
 * (`args[0].onDone`) and a reason; undefined when it travels as is. Rejected:
 * functions, symbols, bigints, non-finite numbers, `undefined` inside arrays,
 * Map, Set, Date, typed arrays and buffers, promises, and class instances (they
 * would arrive as plain objects).
 * @internal
 *
 * @example
 * ```ts
 * findNonJson({ when: new Date() }, "args[0]"); // { path: "args[0].when", reason: "is a Date: ..." }
 * ```
 */
export function findNonJson(value: unknown, path: string, seen = new Set<object>()): { path: string; reason: string } | undefined {
  switch (typeof value) {
    case "function":
      return { path, reason: `is a function (${value.name || "anonymous"}): a job carries JSON data only; send data, or make the function a task of its own` };
    case "symbol":
      return { path, reason: `is a symbol (${String(value)}): JSON cannot carry symbols` };
    case "bigint":
      return { path, reason: `is a bigint (${value}n): JSON cannot carry bigints; send it as a string` };
    case "number":
      return Number.isFinite(value) ? undefined : { path, reason: `is ${value}: JSON turns it into null` };
    case "object":
      break;
    default:
      return undefined;
  }
  if (value === null) return undefined;
  if (seen.has(value)) return { path, reason: "is a circular reference: JSON cannot carry cycles" };
  seen.add(value);
  try {
    if (value instanceof Promise) return { path, reason: "is a Promise: await it first and send the value" };
    if (value instanceof Date) return { path, reason: "is a Date: JSON turns it into a string; send date.toISOString() or a number" };
    if (value instanceof Map || value instanceof Set) {
      return { path, reason: `is a ${value.constructor.name}: JSON turns it into {}; send an array of its entries` };
    }
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      return { path, reason: `is a ${value.constructor.name}: JSON cannot carry binary data; send base64 text, or a file path or URL` };
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        if (value[i] === undefined) return { path: `${path}[${i}]`, reason: "is undefined: JSON turns it into null inside an array" };
        const bad = findNonJson(value[i], `${path}[${i}]`, seen);
        if (bad) return bad;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto !== Object.prototype && proto !== null) {
      const name = (value as object).constructor?.name ?? "object";
      return { path, reason: `is a ${name} instance: it would arrive as a plain object without its class; send plain data` };
    }
    for (const key of Object.keys(value)) {
      const bad = findNonJson((value as Record<string, unknown>)[key], `${path}.${key}`, seen);
      if (bad) return bad;
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}
