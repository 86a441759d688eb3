#!/usr/bin/env node
/**
 * `npm run compare`: the concurrency-basics document's "full code" benchmark
 * in a terminal. Prints one timing line each for threads on I/O, async/await
 * on I/O, processes on CPU and a plain loop on CPU, with a progress line while
 * each one runs. The notebook 04-concurrency-basics runs the same functions.
 *
 * Usage: npm run compare -- [--io-tasks N] [--cpu-tasks N] [--workers N] [--io-ms MS] [--cpu-n N]
 */
import { parseArgs } from "node:util";
import {
  COMPARISON_DEFAULTS,
  COMPARISON_LIMITS,
  MAX_COMPARISON_WORKERS,
  comparisonHeader,
  formatComparisonLine,
  measureAsyncIo,
  measureLoopCpu,
  measureProcessesCpu,
  measureThreadsIo,
  type ComparisonKind,
  type ComparisonOptions,
  type ComparisonResult,
} from "../pipelines/compare";
import { progress, type Progress } from "../show/progress";
import { exitWithParent } from "../lifecycle/parent-death";

const HELP = `Usage: npm run compare -- [options]

Times the four runs of the "Concurrency basics" document on this machine:
  threads      I/O  each task blocks a worker thread for --io-ms
  async/await  I/O  each task awaits a --io-ms timer on the one event loop
  processes    CPU  each task runs sumOfSquares(--cpu-n) in a child process
  plain loop   CPU  the same CPU tasks one after another on the main thread
Threads and processes are started inside the timing, as the document does.

Options:
  --io-tasks N   I/O tasks for threads and async/await   (default ${COMPARISON_DEFAULTS.ioTasks})
  --cpu-tasks N  CPU tasks for processes and the loop    (default ${COMPARISON_DEFAULTS.cpuTasks})
  --workers N    threads and processes to start, 1..${MAX_COMPARISON_WORKERS} (default: one per task)
  --io-ms MS     how long each I/O task waits            (default ${COMPARISON_DEFAULTS.ioMs})
  --cpu-n N      size of one CPU task                    (default ${COMPARISON_DEFAULTS.cpuN.toLocaleString("en")}, the document's 10**6)
  -h, --help     show this help

Example: npm run compare -- --cpu-tasks 4 --cpu-n 300000000 --workers 2
`;

/** A command-line mistake: printed with a hint, exit code 2. */
class UsageError extends Error {}

const INTEGER_FLAGS = {
  "io-tasks": "ioTasks",
  "cpu-tasks": "cpuTasks",
  workers: "workers",
  "io-ms": "ioMs",
  "cpu-n": "cpuN",
} as const satisfies Record<string, keyof ComparisonOptions>;

/** Parses "4", "1_000_000" or "1e6" into an integer; anything else is a UsageError naming the flag. */
function parseInteger(flag: string, text: string): number {
  const value = Number(text.replace(/_/g, ""));
  if (text.trim() === "" || !Number.isSafeInteger(value)) {
    throw new UsageError(`--${flag} must be a whole number, got "${text}"`);
  }
  return value;
}

function parseCommandLine(argv: string[]): ComparisonOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: "boolean", short: "h" },
        ...Object.fromEntries(Object.keys(INTEGER_FLAGS).map((flag) => [flag, { type: "string" as const }])),
      },
    });
  } catch (err) {
    // parseArgs says e.g. "Unknown option '--io-task'" or "Option '--workers <value>' argument missing".
    throw new UsageError((err as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return "help";
  const opts: ComparisonOptions = {};
  for (const [flag, key] of Object.entries(INTEGER_FLAGS)) {
    const text = values[flag];
    if (typeof text === "string") opts[key] = parseInteger(flag, text);
  }
  return opts;
}

/** Runs one measurement with a live progress line (terminals only), then prints its timing line. */
async function measureWithProgress(
  label: string,
  total: number,
  run: (onTaskDone: (kind: ComparisonKind) => void) => Promise<ComparisonResult>,
): Promise<ComparisonResult> {
  const tty = process.stdout.isTTY === true;
  const bar: Progress | null = tty ? progress(total, label) : null;
  // Redraw the elapsed time while nothing finishes (it does not fire while the main thread computes).
  const clock = bar ? setInterval(() => bar.tick(0), 100) : null;
  try {
    const result = await run(() => bar?.tick());
    if (bar) {
      bar.done();
      process.stdout.write("\x1b[1A\r\x1b[2K"); // replace the finished bar by the timing line
    }
    console.log(formatComparisonLine(result));
    return result;
  } finally {
    if (clock) clearInterval(clock);
    bar?.done();
  }
}

async function main(argv: string[]): Promise<number> {
  // Started from a notebook (stdin a pipe, or IPC) it must not outlive the kernel.
  exitWithParent();
  try {
    const opts = parseCommandLine(argv);
    if (opts === "help") {
      process.stdout.write(HELP);
      return 0;
    }
    validateRanges(opts);
    const { workers, ioTasks = COMPARISON_DEFAULTS.ioTasks, cpuTasks = COMPARISON_DEFAULTS.cpuTasks } = opts;
    const io = { tasks: ioTasks, ms: opts.ioMs };
    const cpu = { tasks: cpuTasks, n: opts.cpuN };
    console.log(comparisonHeader());
    await measureWithProgress("threads · I/O", ioTasks, (onTaskDone) => measureThreadsIo({ ...io, workers, onTaskDone }));
    await measureWithProgress("async/await · I/O", ioTasks, (onTaskDone) => measureAsyncIo({ ...io, onTaskDone }));
    await measureWithProgress("processes · CPU", cpuTasks, (onTaskDone) => measureProcessesCpu({ ...cpu, workers, onTaskDone }));
    await measureWithProgress("plain loop · CPU", cpuTasks, (onTaskDone) => measureLoopCpu({ ...cpu, onTaskDone }));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`compare: ${err.message}\nRun "npm run compare -- --help" for the options.\n`);
      return 2;
    }
    process.stderr.write(`compare: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

/** Checks every option's range before anything starts (a bad --workers fails before the 1 s I/O runs). */
function validateRanges(opts: ComparisonOptions): void {
  for (const [flag, key] of Object.entries(INTEGER_FLAGS)) {
    const value = opts[key];
    if (typeof value !== "number") continue;
    const [min, max] = COMPARISON_LIMITS[key];
    if (value < min || value > max) {
      throw new UsageError(`--${flag} must be between ${min} and ${max.toLocaleString("en")}, got ${value}`);
    }
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
