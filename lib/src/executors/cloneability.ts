import { EventEmitter } from "node:events";
import { types } from "node:util";
import { MessagePort } from "node:worker_threads";

/** Objects that can only be moved (listed in a transfer list), never copied. */
const TRANSFER_ONLY: { name: string; type: Function | undefined }[] = [
  { name: "MessagePort", type: MessagePort },
  { name: "ReadableStream", type: (globalThis as Record<string, unknown>).ReadableStream as Function | undefined },
  { name: "WritableStream", type: (globalThis as Record<string, unknown>).WritableStream as Function | undefined },
  { name: "TransformStream", type: (globalThis as Record<string, unknown>).TransformStream as Function | undefined },
];

/**
 * Finds the first part of `value` that cannot be copied to another thread or
 * process (structured clone), and says why: a path like `args[0].onDone` and a
 * reason. Returns undefined when everything can be copied.
 * Checks what the structured clone algorithm rejects: functions, symbols,
 * proxies, promises, weak collections, `Intl` formatters, objects that can
 * only be transferred (MessagePort, web streams), and live resources
 * (sockets, streams, emitters).
 * @internal
 *
 * @example
 * ```ts
 * findUncloneable({ a: [1, () => 2] }, "args[0]"); // { path: "args[0].a[1]", reason: "is a function: ..." }
 * ```
 */
export function findUncloneable(value: unknown, path: string, seen = new Set<object>()): { path: string; reason: string } | undefined {
  if (typeof value === "function") {
    return { path, reason: `is a function (${value.name || "anonymous"}): a function and its closure live in one JavaScript isolate and cannot be copied (pass data, or make the function a task of its own)` };
  }
  if (typeof value === "symbol") return { path, reason: `is a symbol (${String(value)}): symbols are unique to one isolate` };
  if (typeof value !== "object" || value === null || seen.has(value)) return undefined;
  seen.add(value);
  if (types.isProxy(value)) {
    return { path, reason: "is a Proxy: its handler's traps are functions of this isolate and cannot be copied (copy its data into a plain object first, e.g. { ...value })" };
  }
  for (const { name, type } of TRANSFER_ONLY) {
    if (type !== undefined && value instanceof type) {
      return { path, reason: `is a ${name}: it can only be transferred between threads, never copied, and a task's arguments and results are copied (send the data it carries instead)` };
    }
  }
  if (Object.prototype.toString.call(value).startsWith("[object Intl.")) {
    return { path, reason: `is an ${Object.prototype.toString.call(value).slice(8, -1)} formatter: it cannot be copied (pass its options and build it inside the task)` };
  }
  if (value instanceof Promise) return { path, reason: "is a Promise: await it first and pass the value" };
  if (value instanceof WeakMap || value instanceof WeakSet || value instanceof WeakRef) {
    return { path, reason: `is a ${value.constructor.name}: weak references cannot be copied` };
  }
  if (value instanceof EventEmitter) {
    return { path, reason: `is a ${value.constructor.name}, a live resource (socket, stream or emitter) that belongs to this process; pass what it carries (a URL, a port, the data) instead` };
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date || value instanceof RegExp) return undefined;
  if (value instanceof Map) {
    let i = 0;
    for (const [k, v] of value) {
      const bad = findUncloneable(k, `${path}.keys()[${i}]`, seen) ?? findUncloneable(v, `${path}.get(${i})`, seen);
      if (bad) return bad;
      i++;
    }
    return undefined;
  }
  if (value instanceof Set) {
    let i = 0;
    for (const v of value) {
      const bad = findUncloneable(v, `${path}.values()[${i++}]`, seen);
      if (bad) return bad;
    }
    return undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findUncloneable(value[i], `${path}[${i}]`, seen);
      if (bad) return bad;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const bad = findUncloneable((value as Record<string, unknown>)[key], `${path}.${key}`, seen);
    if (bad) return bad;
  }
  return undefined;
}
