/**
 * Children that exit when their parent goes, however the parent dies
 * (normal exit, SIGTERM, SIGKILL, a crash, a kernel restart).
 *
 * Two sides: a child program calls {@link exitWithParent} (it watches its IPC
 * channel, a piped stdin and its parent's pid), and a parent starts a child
 * through {@link tieToParent}, which on Linux asks the kernel to signal the
 * child the moment the parent dies, even while the child is busy in a long
 * synchronous loop and cannot look at anything.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";

/** Options of {@link exitWithParent}. */
export interface ExitWithParentOptions {
  /**
   * Treat the end of a piped stdin as the parent's death (default true). Only
   * a pipe or socket counts: a terminal, a file or /dev/null is left alone.
   * Turn it off in a child whose stdin is inherited from its parent (the
   * kernel's own stdin must not be read by a child).
   */
  stdin?: boolean;
  /** How often to check whether the parent's pid changed (re-parenting), in ms; 0 turns it off. Default 500. */
  pollMs?: number;
  /** Runs once before exiting (close a server, say); the exit follows when it settles, or after `graceMs`. */
  beforeExit?: (reason: ParentGoneReason) => unknown;
  /** The longest wait for `beforeExit`, in ms. Default 2000. */
  graceMs?: number;
  /** The exit code. Default 0. */
  exitCode?: number;
}

/** How the child noticed its parent was gone. */
export type ParentGoneReason = "ipc-disconnect" | "stdin-closed" | "reparented";

/**
 * Makes this program exit when the process that started it goes away. It
 * watches, without keeping the program alive:
 * - the IPC channel, if there is one (`fork`, or `stdio` with `"ipc"`):
 *   its `disconnect`;
 * - stdin, if it is a pipe or socket (`spawn` with `stdio: ["pipe", …]`):
 *   its end, which comes when the parent closes it or dies;
 * - the parent pid, every `pollMs`: when it changes, the parent died and the
 *   program was re-parented (to PID 1 or a subreaper). This covers a child
 *   started with `stdio: "ignore"` and no IPC.
 *
 * All three need this program's event loop: a program busy in a long
 * synchronous loop notices only when the loop ends. {@link tieToParent} on
 * the parent's side closes that gap on Linux. The lib's CLIs and pool
 * children call this at start.
 *
 * @returns A function that stops watching.
 *
 * @example
 * ```ts
 * import { exitWithParent } from "concurrency-lab";
 * // in a command-line program that a notebook may start with spawn():
 * exitWithParent({ beforeExit: () => server.close() });
 * ```
 */
export function exitWithParent(options: ExitWithParentOptions = {}): () => void {
  const { stdin = true, pollMs = 500, beforeExit, graceMs = 2000, exitCode = 0 } = options;
  const stops: (() => void)[] = [];
  let leaving = false;
  const leave = (reason: ParentGoneReason) => {
    if (leaving) return;
    leaving = true;
    stop();
    if (beforeExit === undefined) process.exit(exitCode);
    const timer = setTimeout(() => process.exit(exitCode), graceMs);
    timer.unref();
    Promise.resolve()
      .then(() => beforeExit(reason))
      .catch(() => undefined)
      .finally(() => process.exit(exitCode));
  };
  const stop = () => {
    for (const s of stops.splice(0)) s();
  };

  if (typeof process.send === "function") {
    const onDisconnect = () => leave("ipc-disconnect");
    process.once("disconnect", onDisconnect);
    stops.push(() => process.removeListener("disconnect", onDisconnect));
    if (!process.connected) leave("ipc-disconnect");
  }

  if (stdin && stdinIsPipe()) {
    const input = process.stdin;
    const onEnd = () => leave("stdin-closed");
    input.on("end", onEnd);
    input.on("close", onEnd);
    input.on("error", onEnd);
    input.on("data", () => undefined); // read and drop whatever the parent writes
    input.resume();
    (input as unknown as { unref?: () => void }).unref?.(); // watching stdin must not keep the program alive
    stops.push(() => {
      input.removeListener("end", onEnd);
      input.removeListener("close", onEnd);
      input.pause();
    });
  }

  const firstParent = process.ppid;
  if (pollMs > 0 && firstParent > 1) {
    const timer = setInterval(() => {
      if (process.ppid !== firstParent) leave("reparented");
    }, pollMs);
    timer.unref();
    stops.push(() => clearInterval(timer));
  }
  return stop;
}

function stdinIsPipe(): boolean {
  try {
    const stat = fs.fstatSync(0);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false; // stdin closed
  }
}

let setprivWorks: boolean | undefined;

/**
 * True where `setpriv --pdeathsig` (util-linux 2.33+, on every current Linux) can start a tied child.
 *
 * @example
 * ```ts
 * import { parentDeathSignalAvailable } from "concurrency-lab";
 * parentDeathSignalAvailable(); // true on Linux with util-linux 2.33+, false on macOS and Windows
 * ```
 */
export function parentDeathSignalAvailable(): boolean {
  if (setprivWorks === undefined) {
    setprivWorks = false;
    if (process.platform === "linux") {
      try {
        const help = execFileSync("setpriv", ["--help"], { encoding: "utf8", timeout: 2000, stdio: ["ignore", "pipe", "ignore"] });
        setprivWorks = help.includes("--pdeathsig");
      } catch {
        setprivWorks = false;
      }
    }
  }
  return setprivWorks;
}

/**
 * Turns a command into one whose process receives `signal` the moment this
 * process's thread dies, however it dies, using Linux's parent-death signal
 * (`setpriv --pdeathsig`, which then runs the command in its place: same
 * pid, same arguments). Elsewhere (macOS, Windows, or no setpriv) it returns
 * the command unchanged, and the child must notice by itself
 * ({@link exitWithParent}).
 *
 * @param signal What the child gets: `SIGKILL` for a worker with nothing to
 *   clean up, `SIGTERM` for a program that closes things first.
 * @returns `[file, args]` for `spawn(file, args)`.
 *
 * @example
 * ```ts
 * import { spawn } from "node:child_process";
 * import { tieToParent } from "concurrency-lab";
 * const [file, args] = tieToParent("python3", ["python/03_server.py"], "SIGTERM");
 * const child = spawn(file, args, { stdio: ["pipe", "pipe", "pipe"] });
 * ```
 */
export function tieToParent(command: string, args: readonly string[] = [], signal: NodeJS.Signals = "SIGKILL"): [string, string[]] {
  if (!parentDeathSignalAvailable()) return [command, [...args]];
  return ["setpriv", ["--pdeathsig", signal, "--", command, ...args]];
}

/**
 * The `execPath` / `execArgv` options of `child_process.fork` that start a
 * Node.js child tied to this process (see {@link tieToParent}), without this
 * process's own Node flags (an `--inspect` port would clash).
 *
 * @example
 * ```ts
 * import { fork } from "node:child_process";
 * import { forkTiedToParent } from "concurrency-lab";
 * const child = fork("worker.js", [], { ...forkTiedToParent("SIGKILL"), serialization: "advanced" });
 * ```
 */
export function forkTiedToParent(signal: NodeJS.Signals = "SIGKILL"): { execPath: string; execArgv: string[] } {
  const [file, args] = tieToParent(process.execPath, [], signal);
  return { execPath: file, execArgv: args };
}
