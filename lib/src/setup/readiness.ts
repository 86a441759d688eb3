import { ThreadPoolExecutor } from "../executors/thread-pool";
import { ProcessPoolExecutor } from "../executors/process-pool";
import { tasks } from "../executors/tasks";
import { machineInfo, type MachineInfo } from "../measure/machine";
import { redisAvailable } from "../queue/redis-server";

/**
 * The Node.js LTS lines the kit is tested on (CI runs `npm test` on each); the last is the one to install.
 *
 * @example
 * ```ts
 * import { TESTED_NODE_LINES } from "concurrency-lab";
 * TESTED_NODE_LINES.at(-1); // 26: the line to install
 * ```
 */
export const TESTED_NODE_LINES: readonly number[] = [24, 26];

// A type, not an interface, so that showTable (which takes Record<string, unknown>) accepts the rows.
/** One line of {@link checkReadiness}: a piece of the set-up, whether it works, and what to do if not. */
export type ReadinessRow = {
  check: string;
  ok: boolean;
  /** A required piece that fails makes the machine not ready; an optional one only skips some cells. */
  required: boolean;
  detail: string;
};

/** What {@link checkReadiness} found. */
export interface Readiness {
  rows: ReadinessRow[];
  ready: boolean;
  /** "ready", or "not ready: …" naming each required piece that failed; optional gaps follow. */
  verdict: string;
}

/** Runs `probe` and turns its outcome (or its error) into a row. */
async function probe(check: string, required: boolean, run: () => Promise<string>): Promise<ReadinessRow> {
  try {
    return { check, ok: true, required, detail: await run() };
  } catch (err) {
    return { check, ok: false, required, detail: err instanceof Error ? err.message : String(err) };
  }
}

/** Sends `echo` through a one-worker pool and says which worker answered; the pool is shut down either way. */
async function echoThrough(pool: ThreadPoolExecutor | ProcessPoolExecutor): Promise<string> {
  try {
    const f = pool.submit(tasks.echo, "hello");
    return `"${await f}" from ${f.span?.lane ?? "a worker"}`;
  } finally {
    await pool.shutdown();
  }
}

/**
 * The Node.js row: the minimum that runs, and whether this line is one CI tests.
 *
 * @example
 * ```ts
 * import { nodeLineRow } from "concurrency-lab";
 * nodeLineRow("20.18.0").detail; // "20.18.0 is too old to run the kit: install Node.js 26 LTS"
 * nodeLineRow("24.1.0").ok;      // true: a tested LTS line
 * ```
 */
export function nodeLineRow(version: string = process.versions.node): ReadinessRow {
  const [major, minor] = version.split(".").map(Number) as [number, number];
  const newest = TESTED_NODE_LINES[TESTED_NODE_LINES.length - 1];
  const runs = major > 20 || (major === 20 && minor >= 19);
  const tested = TESTED_NODE_LINES.includes(major);
  const detail = !runs
    ? `${version} is too old to run the kit: install Node.js ${newest} LTS`
    : tested
      ? `${version}, a tested LTS line (${TESTED_NODE_LINES.join(", ")})`
      : `${version} runs, but the kit is tested on ${TESTED_NODE_LINES.join(", ")}: install Node.js ${newest} LTS`;
  return { check: "Node.js", ok: runs && tested, required: !runs, detail };
}

/**
 * Checks that this machine can run every notebook: the Node.js line, a worker
 * thread and a child process that answer, python3 (optional: the Python
 * comparisons), Redis (optional: notebook 06) and at least 2 cores (optional:
 * with 1 core nothing runs in parallel). Notebook 00 shows its rows.
 *
 * @example
 * ```ts
 * import { checkReadiness, showTable } from "concurrency-lab";
 * const r = await checkReadiness();
 * showTable(r.rows);
 * console.log(r.verdict); // "ready", or "not ready: child process: …"
 * ```
 */
export async function checkReadiness(info: MachineInfo = machineInfo()): Promise<Readiness> {
  const redis = redisAvailable();
  const rows: ReadinessRow[] = [
    nodeLineRow(),
    await probe("worker thread", true, () => echoThrough(new ThreadPoolExecutor({ maxWorkers: 1 }))),
    await probe("child process", true, () => echoThrough(new ProcessPoolExecutor({ maxWorkers: 1 }))),
    {
      check: "python3", ok: info.python3 !== null, required: false,
      detail: info.python3 ?? "not found: the Python comparisons will be skipped",
    },
    { check: "Redis (notebook 06)", ok: redis.ok, required: false, detail: redis.ok ? redis.how : redis.fix },
    {
      check: "cores", ok: info.cores >= 2, required: false,
      detail: info.cores >= 2 ? `${info.cores}` : "1: the parallel demos cannot show a speed-up here",
    },
  ];
  const failed = rows.filter((r) => !r.ok && r.required).map((r) => `${r.check}: ${r.detail}`);
  const gaps = rows.filter((r) => !r.ok && !r.required).map((r) => r.check);
  const verdict = (failed.length === 0 ? "ready" : `not ready: ${failed.join("; ")}`) +
    (gaps.length > 0 ? ` (optional pieces missing or untested: ${gaps.join(", ")})` : "");
  return { rows, ready: failed.length === 0, verdict };
}
