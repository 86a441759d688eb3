import type { SerializedError } from "./task";
import { findUncloneable } from "./cloneability";

// Structured clone keeps only message and stack of built-in errors: class names of
// custom errors and properties like `code` are lost, so errors travel as plain data.

const builtinErrors: Record<string, new (message?: string) => Error> = {
  Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError,
};
const remoteClasses = new Map<string, new (message?: string) => Error>();

/**
 * Turns anything a task threw into plain data that survives postMessage/IPC:
 * class name, name, message, stack, own properties (`code`, `errno`, ...) and cause.
 *
 * @example
 * ```ts
 * const data = serializeError(Object.assign(new RangeError("too big"), { code: "E_BIG" }));
 * data.className; // "RangeError": plain data, safe for postMessage and IPC
 * ```
 * @internal
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) {
    return { className: "Error", name: "Error", message: `task threw a non-Error value: ${String(error)}`, props: { thrown: safeProp(error) } };
  }
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(error)) {
    if (key === "cause" || key === "name" || key === "message" || key === "stack") continue;
    props[key] = safeProp((error as unknown as Record<string, unknown>)[key]);
  }
  return {
    className: error.constructor?.name || "Error",
    name: error.name,
    message: error.message,
    stack: error.stack,
    props,
    cause: error.cause !== undefined && depth < 5 ? serializeError(error.cause, depth + 1) : undefined,
  };
}

/**
 * Rebuilds an error in the notebook: built-in classes become the real class;
 * other classes become an Error subclass with the same class name, so
 * `err.name` and `err.constructor.name` read as in the worker.
 *
 * @example
 * ```ts
 * const err = reviveError(serializeError(Object.assign(new RangeError("too big"), { code: "E_BIG" })));
 * err instanceof RangeError; // true
 * (err as { code?: string }).code; // "E_BIG"
 * ```
 * @internal
 */
export function reviveError(s: SerializedError): Error {
  const Class = builtinErrors[s.className] ?? remoteClass(s.className);
  const error = new Class(s.message);
  // `class MyError extends Error {}` leaves name "Error": the class name is what identifies it.
  const name = s.name === "Error" ? s.className : s.name;
  if (error.name !== name) Object.defineProperty(error, "name", { value: name, configurable: true, writable: true });
  if (s.stack !== undefined) error.stack = s.stack;
  Object.assign(error, s.props);
  if (s.cause !== undefined) error.cause = reviveError(s.cause);
  return error;
}

function remoteClass(className: string): new (message?: string) => Error {
  let Class = remoteClasses.get(className);
  if (Class === undefined) {
    // A computed key gives the class its name: { [n]: class extends Error {} }[n].name === n
    Class = { [className]: class extends Error {} }[className]!;
    Object.defineProperty(Class.prototype, "name", { value: className, configurable: true, writable: true });
    remoteClasses.set(className, Class);
  }
  return Class;
}

function safeProp(value: unknown): unknown {
  return findUncloneable(value, "") === undefined ? value : String(value);
}
