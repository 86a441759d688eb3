/**
 * Running a Python program beside Node: `python3 file args…`, its exit code
 * checked and the JSON result it prints as its last line parsed, or a clear
 * error naming the file, the exit code and the end of its stderr.
 */
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { tieToParent } from "../lifecycle/parent-death";

/** Options of {@link runPython}. */
export interface RunPythonOptions {
  /** The interpreter to run (default: `python3` found on PATH). */
  python?: string;
  /** Working directory of the child (default: this process's cwd; `file` is resolved against it too). */
  cwd?: string;
  /** Stop the program after this long: SIGINT first (so `with` blocks close their pools), SIGKILL 1 s later. */
  timeoutMs?: number;
  /** Extra environment variables, added to this process's environment. */
  env?: Record<string, string>;
}

/** What {@link runPython} returns for a program that exited with 0 and printed JSON last. */
export interface PythonRun<T> {
  /** The JSON value of the last non-empty line of stdout. */
  result: T;
  /** The interpreter's version, e.g. "3.11.7": the program's own `"python"` field when it reports one. */
  python: string;
  /** Wall time from spawn to exit, in ms (includes the interpreter's start-up). */
  wallMs: number;
  /** Everything the program printed on stdout, JSON line included. */
  stdout: string;
  stderr: string;
}

/** Why a {@link runPython} call failed. */
export type PythonFailure = "no-python" | "exit" | "timeout" | "bad-json";

/**
 * The error {@link runPython} throws: its message names the file, the exit
 * code (or signal) and the last lines of stderr; the fields hold the same.
 *
 * @example
 * ```ts
 * import { runPython, PythonRunError } from "concurrency-lab";
 * try { await runPython("python/broken.py"); }
 * catch (e) { if (e instanceof PythonRunError) console.log(e.reason, e.exitCode, e.stderrTail); }
 * ```
 */
export class PythonRunError extends Error {
  override name = "PythonRunError";
  constructor(
    message: string,
    readonly reason: PythonFailure,
    readonly file: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stdout: string,
    readonly stderr: string,
    /** The child's process id (undefined when it could not start). */
    readonly pid: number | undefined,
  ) {
    super(message);
  }

  /** The last lines of stderr (at most 12 lines / 2,000 characters). */
  get stderrTail(): string {
    return tail(this.stderr);
  }
}

function tail(text: string, lines = 12, chars = 2000): string {
  const last = text.trimEnd().split("\n").slice(-lines).join("\n");
  return last.length > chars ? `…${last.slice(-chars)}` : last;
}

/** Children still running, killed if this process exits first (e.g. the kernel is shut down). */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function watch(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const c of live) c.kill("SIGKILL");
    });
  }
  live.add(child);
  child.once("exit", () => live.delete(child));
}

const versions = new Map<string, Promise<string>>();
/** The version of `python` (cached per interpreter), e.g. "3.11.7"; "unknown" if it cannot be asked. */
function versionOf(python: string): Promise<string> {
  let v = versions.get(python);
  if (!v) {
    v = new Promise((res) =>
      execFile(python, ["-c", "import platform; print(platform.python_version())"], { timeout: 10_000 }, (err, out) =>
        res(err ? "unknown" : out.trim()),
      ),
    );
    versions.set(python, v);
  }
  return v;
}

/**
 * Runs `python3 file args…` and returns the JSON value the program prints as
 * the last line of its stdout, with the interpreter's version, the wall time
 * and the full output. A relative `file` is resolved against `opts.cwd` (the
 * kernel's cwd, `notebooks/`, in a notebook). Throws a {@link PythonRunError}
 * when the interpreter is missing, the program exits non-zero or is stopped
 * by `timeoutMs`, or its last line is not JSON. The child's stdin is a pipe
 * from this process (never the kernel's own stdin), so a program that reads it
 * sees EOF if the kernel dies; a child still running when this process exits
 * normally is killed.
 *
 * @example
 * ```ts
 * import { runPython } from "concurrency-lab";
 * const run = await runPython<{ total: number }>("python/01_counter_race.py", [1_000_000]);
 * console.log(run.result.total, `Python ${run.python}, ${run.wallMs.toFixed(0)} ms`);
 * ```
 */
export function runPython<T = unknown>(
  file: string,
  args: readonly (string | number)[] = [],
  opts: RunPythonOptions = {},
): Promise<PythonRun<T>> {
  const { python = "python3", cwd = process.cwd(), timeoutMs, env } = opts;
  if (typeof file !== "string" || file === "") throw new TypeError("runPython: file must be a path to a .py file");
  if (timeoutMs !== undefined && !(timeoutMs > 0)) {
    throw new RangeError(`runPython: timeoutMs must be > 0, got ${String(timeoutMs)}`);
  }
  const path = resolve(cwd, file);
  const started = performance.now();
  return new Promise<PythonRun<T>>((done, fail) => {
    // Tied to this process (Linux: parent-death signal), so a killed kernel takes the program with it.
    const [command, commandArgs] = tieToParent(python, [path, ...args.map(String)], "SIGTERM");
    const child = spawn(command, commandArgs, {
      cwd,
      env: { ...process.env, PYTHONIOENCODING: "utf-8", PYTHONDONTWRITEBYTECODE: "1", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    watch(child);
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout!.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr!.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.stdin!.on("error", () => undefined); // the program may exit without reading stdin

    const timers: NodeJS.Timeout[] = [];
    if (timeoutMs !== undefined) {
      timers.push(
        setTimeout(() => {
          timedOut = true;
          child.kill("SIGINT");
          timers.push(setTimeout(() => child.kill("SIGKILL"), 1000).unref());
        }, timeoutMs),
      );
    }
    const error = (reason: PythonFailure, message: string, code: number | null, signal: NodeJS.Signals | null) => {
      const err = stderr.trim() ? `\n--- stderr (last lines) ---\n${tail(stderr)}` : " (stderr empty)";
      return new PythonRunError(`runPython: ${file}: ${message}${err}`, reason, file, code, signal, stdout, stderr, child.pid);
    };

    let spawnFailed = false;
    child.on("error", (e: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // a failed kill() of a running child: "close" reports the outcome
      spawnFailed = true;
      timers.forEach(clearTimeout);
      if (e.code === "ENOENT") {
        fail(error("no-python", `the interpreter "${python}" was not found on PATH`, null, null));
      } else fail(error("exit", `could not run ${python}: ${e.message}`, null, null));
    });
    child.once("close", (code, signal) => {
      timers.forEach(clearTimeout);
      child.stdin!.destroy();
      if (spawnFailed) return;
      const wallMs = performance.now() - started;
      if (timedOut) {
        return fail(error("timeout", `stopped after the ${timeoutMs} ms timeout (${signal ?? `exit code ${code}`})`, code, signal));
      }
      if (code === 127 && command !== python && /failed to execute/.test(stderr)) {
        return fail(error("no-python", `the interpreter "${python}" was not found on PATH`, code, signal));
      }
      if (code !== 0) {
        return fail(error("exit", signal ? `killed by ${signal}` : `exited with code ${code}`, code, signal));
      }
      const last = stdout.trimEnd().split("\n").pop()?.trim() ?? "";
      let result: T;
      try {
        if (last === "") throw new Error("stdout is empty");
        result = JSON.parse(last) as T;
      } catch {
        const shown = last === "" ? "nothing on stdout" : `last line ${JSON.stringify(last.length > 200 ? `${last.slice(0, 200)}…` : last)}`;
        return fail(error("bad-json", `exited with code 0 but its last line of stdout is not JSON: ${shown}`, code, signal));
      }
      const reported = (result as { python?: unknown } | null)?.python;
      const version = typeof reported === "string" ? Promise.resolve(reported) : versionOf(python);
      version.then((v) => done({ result, python: v, wallMs, stdout, stderr }));
    });
    // stdin stays an open pipe: a program that reads it sees EOF when this process dies.
  });
}
