/**
 * Re-run safety for notebooks: what a cell starts (pools, servers, child
 * processes) is tracked under a role, so running the cell again, or Run All
 * after a partial run, first closes what the previous run left open.
 */

/**
 * Anything `track` can close: an object with `shutdown()` (executors),
 * `close()` (servers, {@link startCli} handles), `terminate()` (worker
 * threads) or `kill()` plus `exitCode` (a `ChildProcess`). The method may
 * return a promise; `track` waits for it.
 */
export type Closable =
  | { shutdown(...args: never[]): unknown }
  | { close(...args: never[]): unknown }
  | { terminate(...args: never[]): unknown }
  | { kill(...args: never[]): unknown; readonly exitCode: number | null };

/** What {@link track} accepts: the resource, a promise of it, or a function that makes it. */
export type Trackable<T> = T | PromiseLike<T> | (() => T | PromiseLike<T>);

interface Entry {
  role: string;
  resource: Closable;
}

interface Registry {
  entries: Map<string, Entry>;
  exitHookInstalled: boolean;
}

// Kept on globalThis so two copies of the lib loaded in one kernel share one registry.
const KEY = Symbol.for("concurrency-lab.lifecycle.registry");

function registry(): Registry {
  const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
  holder[KEY] ??= { entries: new Map(), exitHookInstalled: false };
  return holder[KEY];
}

/** How long a `ChildProcess` gets to exit after SIGTERM before SIGKILL. */
const CHILD_GRACE_MS = 2000;

function isChildProcess(value: object): value is {
  kill(signal?: NodeJS.Signals): boolean;
  exitCode: number | null;
  signalCode: NodeJS.Signals | null;
  once(event: "exit", listener: () => void): unknown;
} {
  const v = value as Record<string, unknown>;
  return typeof v.kill === "function" && "exitCode" in v && typeof v.once === "function";
}

/** Closes one resource the way it prefers and waits for it to finish. */
async function closeResource(resource: Closable): Promise<void> {
  const r = resource as unknown as Record<string, unknown>;
  if (typeof r.terminate === "function" && typeof r.shutdown === "function") {
    // An executor: stop its work now rather than wait for it (a re-run must not wait for the old run's tasks).
    await (r.terminate as () => unknown).call(resource);
  } else if (typeof r.shutdown === "function") {
    await (r.shutdown as () => unknown).call(resource);
  } else if (typeof r.close === "function") {
    await (r.close as () => unknown).call(resource);
  } else if (typeof r.terminate === "function") {
    await (r.terminate as () => unknown).call(resource);
  } else if (isChildProcess(resource)) {
    const child = resource;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const killer = setTimeout(() => child.kill("SIGKILL"), CHILD_GRACE_MS);
      killer.unref();
      child.once("exit", () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  } else {
    throw new TypeError("track: the resource has no shutdown(), close(), terminate() or kill()");
  }
}

function checkClosable(role: string, value: unknown): Closable {
  const v = value as Record<string, unknown> | null;
  const ok =
    v !== null &&
    (typeof v === "object" || typeof v === "function") &&
    (typeof v.shutdown === "function" ||
      typeof v.close === "function" ||
      typeof v.terminate === "function" ||
      isChildProcess(v));
  if (!ok) {
    throw new TypeError(
      `track("${role}", …): got ${describe(value)}, which has no shutdown(), close(), terminate() or kill(); ` +
        "pass a pool, a server, a child process or a function that returns one",
    );
  }
  return value as Closable;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return `an object (${value.constructor?.name ?? "no constructor"})`;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}

/**
 * Tracks a resource under a role and returns it, after closing (and awaiting
 * the `shutdown()` / `close()` of) whatever an earlier run tracked under the
 * same role. A pool is closed with `terminate()`: the earlier run's tasks are
 * stopped (their futures reject with `TaskAbortedError`), not waited for. A cell that starts its pool as `await track("pool", …)` can be
 * run again, or the notebook Run All after a partial run, and only the newest
 * pool stays alive. {@link closeTracked} in the notebook's last cell closes
 * everything.
 *
 * Pass a function (`() => startSlowServer({ port: 8000 })`) when the old
 * resource must be gone before the new one starts, e.g. a fixed port: the
 * function is called only after the old one is closed. A resource passed
 * directly (or as a promise) is already started when `track` sees it, so for a
 * moment both are alive.
 *
 * If closing the earlier resource fails, the failure is printed as a warning
 * and the new resource is still tracked: a broken old pool must not stop the
 * re-run. Everything tracked is also closed, as far as it can be without
 * waiting, when the process exits normally (see {@link closeTrackedOnExit}).
 *
 * @param role A name for what the cell starts, unique within the notebook, e.g. `"cpu pool"`.
 * @param resource The resource, a promise of it, or a function returning either.
 * @returns The resource itself, once any earlier one under `role` is closed.
 *
 * @example
 * ```ts
 * import { track, closeTracked, ProcessPoolExecutor, startSlowServer } from "concurrency-lab";
 * const pool = await track("cpu pool", new ProcessPoolExecutor({ maxWorkers: 2 }));
 * const server = await track("server", () => startSlowServer({ workers: 3 }));
 * // … run the cell again: the first pool and server are closed first …
 * await closeTracked(); // last cell: nothing left open
 * ```
 */
export async function track<T extends Closable>(role: string, resource: Trackable<T>): Promise<T> {
  if (typeof role !== "string" || role === "") throw new TypeError("track: role must be a non-empty string");
  installExitHook();
  const reg = registry();
  const isFactory = typeof resource === "function" && !isChildProcess(resource as object);
  let value: unknown = resource;
  if (!isFactory && isThenable(value)) value = await value;
  if (!isFactory) checkClosable(role, value);

  const earlier = reg.entries.get(role);
  if (earlier && earlier.resource !== value) {
    reg.entries.delete(role);
    try {
      await closeResource(earlier.resource);
    } catch (error) {
      console.warn(`track("${role}"): closing the earlier resource failed: ${(error as Error)?.message ?? error}`);
    }
  }
  if (isFactory) {
    value = await (resource as () => T | PromiseLike<T>)();
    checkClosable(role, value);
  }
  // A resource tracked under another role moves to this one.
  for (const [otherRole, entry] of reg.entries) {
    if (entry.resource === value && otherRole !== role) reg.entries.delete(otherRole);
  }
  // Re-insert so closeTracked closes in reverse order of (re)tracking.
  reg.entries.delete(role);
  reg.entries.set(role, { role, resource: value as Closable });
  return value as T;
}

/**
 * Closes every tracked resource, newest first (so a pool that talks to a
 * server is closed before the server), waits for each, and forgets them.
 * Put `await closeTracked()` in a notebook's last cell: whatever order the
 * cells ran in, nothing the notebook started stays alive.
 *
 * Every resource is closed even when one fails; then the failures are thrown
 * together as one Error naming each role.
 *
 * @returns The roles that were closed, newest first.
 *
 * @example
 * ```ts
 * import { track, closeTracked, ThreadPoolExecutor } from "concurrency-lab";
 * await track("threads", new ThreadPoolExecutor({ maxWorkers: 4 }));
 * console.log(await closeTracked()); // [ 'threads' ]
 * ```
 */
export async function closeTracked(): Promise<string[]> {
  const reg = registry();
  const entries = [...reg.entries.values()].reverse();
  reg.entries.clear();
  const failures: string[] = [];
  for (const entry of entries) {
    try {
      await closeResource(entry.resource);
    } catch (error) {
      failures.push(`${entry.role}: ${(error as Error)?.message ?? error}`);
    }
  }
  if (failures.length > 0) {
    throw new Error(`closeTracked: ${failures.length} resource(s) failed to close — ${failures.join("; ")}`);
  }
  return entries.map((e) => e.role);
}

/**
 * Closes the resource tracked under `role` (if any) and forgets it.
 *
 * @returns `true` if something was tracked under the role.
 *
 * @example
 * ```ts
 * import { track, untrack, ProcessPoolExecutor } from "concurrency-lab";
 * await track("pool", new ProcessPoolExecutor({ maxWorkers: 2 }));
 * await untrack("pool"); // true: the pool is shut down
 * ```
 */
export async function untrack(role: string): Promise<boolean> {
  const reg = registry();
  const entry = reg.entries.get(role);
  if (!entry) return false;
  reg.entries.delete(role);
  await closeResource(entry.resource);
  return true;
}

/**
 * The roles tracked now, oldest first.
 *
 * @example
 * ```ts
 * import { track, trackedRoles, ThreadPoolExecutor } from "concurrency-lab";
 * await track("threads", new ThreadPoolExecutor({ maxWorkers: 2 }));
 * trackedRoles(); // [ 'threads' ]
 * ```
 */
export function trackedRoles(): string[] {
  return [...registry().entries.keys()];
}

/**
 * Starts closing every tracked resource when the process exits normally
 * (`process.exit()`, a kernel shutdown or restart request, the end of a
 * script). An `exit` listener cannot wait, so each resource gets only the
 * synchronous part of its `shutdown()` / `close()` (which signals its child
 * processes) and child processes get SIGTERM; the lib's children also exit by
 * themselves when their parent goes (IPC channel or stdin pipe closed), which
 * covers SIGKILL and crashes. {@link track} installs this hook on first use;
 * calling it again does nothing.
 *
 * @example
 * ```ts
 * import { closeTrackedOnExit } from "concurrency-lab";
 * closeTrackedOnExit(); // already done by the first track()
 * ```
 */
export function closeTrackedOnExit(): void {
  installExitHook();
}

function installExitHook(): void {
  const reg = registry();
  if (reg.exitHookInstalled) return;
  reg.exitHookInstalled = true;
  process.once("exit", () => {
    for (const entry of [...reg.entries.values()].reverse()) {
      try {
        const resource = entry.resource as unknown as Record<string, unknown>;
        if (isChildProcess(entry.resource) && typeof resource.shutdown !== "function" && typeof resource.close !== "function") {
          if (entry.resource.exitCode === null) entry.resource.kill("SIGTERM");
        } else {
          // Not awaited: only the synchronous start of the close runs before the process ends.
          const pending = closeResource(entry.resource);
          pending.catch(() => undefined);
        }
      } catch {
        // The process is exiting: nothing useful to report.
      }
    }
    reg.entries.clear();
  });
}
