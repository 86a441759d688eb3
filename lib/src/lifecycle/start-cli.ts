/**
 * Starting one of the kit's command-line programs from a notebook cell so
 * that it can never outlive the kernel.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { tieToParent } from "./parent-death";

/** Options of {@link startCli}. */
export interface StartCliOptions {
  /** Working directory; default this process's. */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Longest wait for the program to exit after SIGTERM in `close()`, before SIGKILL, in ms. Default 2000. */
  graceMs?: number;
}

/** How a program ended: its exit code, or the signal that ended it. */
export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A command-line program started by {@link startCli}. */
export interface CliProcess {
  /** The program's process id. */
  readonly pid: number;
  /** The underlying child process (stdin is a pipe this process holds open). */
  readonly child: ChildProcess;
  /** Everything the program printed so far, stdout and stderr interleaved as they arrived. */
  output(): string;
  /**
   * Resolves with the first match of `pattern` in the output; rejects if the
   * program exits first or after `timeoutMs` (default 10 s), with the output so far.
   */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the program has exited. */
  readonly exited: Promise<CliExit>;
  /** Asks it to stop (SIGTERM, like Ctrl-C), waits for the exit, SIGKILL after `graceMs`. Safe to call again. */
  close(): Promise<CliExit>;
}

/**
 * Starts one of the lib's command-line programs (`"slow-server"`,
 * `"compare"`) or any Node.js script, the way a notebook should: it can
 * never outlive this process. Its stdin is a pipe held open by this process,
 * so when this process dies in any way, the program sees its stdin end and
 * exits (the lib's programs watch it, see {@link exitWithParent}); on Linux
 * it also gets SIGTERM the moment this process dies. The handle has
 * `close()`, so `track("cli", () => startCli(…))` closes the previous run's
 * program when the cell runs again.
 *
 * @param script `"slow-server"` or `"compare"` (the lib's `dist/cli/*.js`), or a path to a script.
 * @param args Its command-line arguments.
 *
 * @example
 * ```ts
 * import { startCli, track } from "concurrency-lab";
 * const cli = await track("cli demo", () => startCli("slow-server", ["--port", "0", "--delay", "1000"]));
 * const url = (await cli.waitForOutput(/http:\/\/[\d.]+:\d+/))[0];
 * console.log(await (await fetch(url)).text());
 * console.log(await cli.close()); // { code: 0, signal: null }
 * ```
 */
export function startCli(script: string, args: readonly (string | number)[] = [], options: StartCliOptions = {}): CliProcess {
  const file = resolveScript(script);
  const [command, commandArgs] = tieToParent(process.execPath, [file, ...args.map(String)], "SIGTERM");
  const child = spawn(command, commandArgs, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  if (child.pid === undefined) {
    // spawn reports a missing executable asynchronously; node itself is always there, so this is rare.
    throw new Error(`startCli: could not start ${file}`);
  }
  return new Cli(child, options.graceMs ?? 2000);
}

function resolveScript(script: string): string {
  if (typeof script !== "string" || script === "") throw new TypeError("startCli: script must be a CLI name or a path");
  if (/^[a-z][a-z0-9-]*$/.test(script)) {
    const builtIn = path.join(__dirname, "..", "cli", `${script}.js`);
    if (fs.existsSync(builtIn)) return builtIn;
    const names = fs
      .readdirSync(path.join(__dirname, "..", "cli"))
      .filter((f) => f.endsWith(".js"))
      .map((f) => f.slice(0, -3));
    if (!fs.existsSync(script)) throw new Error(`startCli: no CLI named "${script}" (the lib has: ${names.join(", ")})`);
  }
  const resolved = path.resolve(script);
  if (!fs.existsSync(resolved)) throw new Error(`startCli: ${resolved} does not exist`);
  return resolved;
}

class Cli implements CliProcess {
  readonly pid: number;
  readonly exited: Promise<CliExit>;
  #text = "";
  #done: CliExit | undefined;
  #closing: Promise<CliExit> | undefined;
  readonly #watchers = new Set<() => void>();

  constructor(
    readonly child: ChildProcess,
    readonly graceMs: number,
  ) {
    this.pid = child.pid!;
    const collect = (chunk: Buffer) => {
      this.#text += chunk.toString("utf8");
      for (const w of this.#watchers) w();
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    child.stdin!.on("error", () => undefined); // the program may exit first
    child.on("error", () => undefined); // reported through "exit"
    this.exited = new Promise<CliExit>((resolve) => {
      child.once("exit", (code, signal) => {
        this.#done = { code, signal };
        resolve(this.#done);
        for (const w of this.#watchers) w();
      });
    });
  }

  output(): string {
    return this.#text;
  }

  waitForOutput(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const finish = (fn: () => void) => {
        clearTimeout(timer);
        this.#watchers.delete(check);
        fn();
      };
      const check = () => {
        const match = this.#text.match(pattern);
        if (match) return finish(() => resolve(match));
        if (this.#done) {
          const how = this.#done.signal ?? `code ${this.#done.code}`;
          return finish(() => reject(new Error(`the program exited (${how}) without printing ${pattern}; it printed:\n${this.#text}`)));
        }
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`the program printed no ${pattern} in ${timeoutMs} ms; it printed:\n${this.#text}`))),
        timeoutMs,
      );
      this.#watchers.add(check);
      check();
    });
  }

  close(): Promise<CliExit> {
    this.#closing ??= (async () => {
      if (this.#done) return this.#done;
      const killer = setTimeout(() => this.child.kill("SIGKILL"), this.graceMs);
      this.child.kill("SIGTERM");
      const result = await this.exited;
      clearTimeout(killer);
      this.child.stdin!.destroy();
      return result;
    })();
    return this.#closing;
  }
}
