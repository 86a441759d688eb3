/**
 * npm run bench:pools: overhead, start-up, memory and CPU scaling of
 * ThreadPoolExecutor and ProcessPoolExecutor, next to Python's
 * concurrent.futures running the same workload in the same run (if python3 is on PATH).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as os from "node:os";
import { ProcessPoolExecutor, ThreadPoolExecutor, now, tasks, type Executor } from "concurrency-lab";

const ECHO_TASKS = 20_000;
const REPEATS = 3;
const CORES = os.availableParallelism();
const CPU_TASKS = 2 * CORES; // the same total work for every worker count
const NODE_SQUARES = 1.5e8;
const PY_SQUARES = 3e6; // pure Python is ~40x slower per iteration: keep its run short

type Kind = "thread" | "process";
type Results = Record<string, number>; // "thread submit" -> value

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const makePool = (kind: Kind, maxWorkers: number): Executor =>
  kind === "thread" ? new ThreadPoolExecutor({ maxWorkers }) : new ProcessPoolExecutor({ maxWorkers });

function rssMiB(pid: number): number {
  const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kib) / 1024;
}

async function tasksPerSecond(run: () => Promise<unknown>): Promise<number> {
  const rates: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = now();
    await run();
    rates.push(ECHO_TASKS / ((now() - t0) / 1000));
  }
  return median(rates);
}

async function benchNode(kind: Kind): Promise<Results> {
  const r: Results = {};
  const before = rssMiB(process.pid);
  let t0 = now();
  const pool = makePool(kind, CORES);
  await pool.submit(tasks.echo, 0);
  r[`${kind} start-up to first result (ms)`] = now() - t0;
  await Promise.all(Array.from({ length: CORES * 4 }, () => pool.submit(tasks.blockingSleep, 20))); // every worker up
  r[`${kind} RSS per worker (MiB)`] =
    kind === "thread"
      ? (rssMiB(process.pid) - before) / CORES
      : pool.lanes.map((lane) => rssMiB(Number(lane.slice(4)))).reduce((a, b) => a + b, 0) / pool.lanes.length;
  const items = Array.from({ length: ECHO_TASKS }, (_, i) => i);
  r[`${kind} submit (tasks/s)`] = await tasksPerSecond(() => Promise.all(items.map((i) => pool.submit(tasks.echo, i))));
  for (const chunksize of [1, 100]) {
    r[`${kind} map chunksize ${chunksize} (tasks/s)`] = await tasksPerSecond(() => pool.mapAll(tasks.echo, items, { chunksize }));
  }
  await pool.shutdown();
  let single = 0;
  for (let workers = 1; workers <= CORES; workers++) {
    const cpuPool = makePool(kind, workers);
    await Promise.all(Array.from({ length: workers }, () => cpuPool.submit(tasks.blockingSleep, 20)));
    const runs: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      t0 = now();
      await cpuPool.mapAll(tasks.sumOfSquares, Array(CPU_TASKS).fill(NODE_SQUARES));
      runs.push(now() - t0);
    }
    const elapsed = median(runs);
    if (workers === 1) single = elapsed;
    else r[`${kind} CPU speedup on ${workers} workers (x)`] = single / elapsed;
    await cpuPool.shutdown();
  }
  return r;
}

const PYTHON = String.raw`
import concurrent.futures as cf, json, os, sys, threading, time
N, CORES, CPU_TASKS, SQUARES = ${ECHO_TASKS}, ${CORES}, ${CPU_TASKS}, ${PY_SQUARES}
def echo(x): return x
def sum_of_squares(n):
    s = 0
    for i in range(n): s += i * i
    return s
def rss(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS")) / 1024
def rate(run):
    rates = []
    for _ in range(${REPEATS}):
        t0 = time.perf_counter(); run(); rates.append(N / (time.perf_counter() - t0))
    return sorted(rates)[len(rates) // 2]
if __name__ == "__main__":
    r = {}
    for kind, E in (("thread", cf.ThreadPoolExecutor), ("process", cf.ProcessPoolExecutor)):
        before = rss(os.getpid())
        t0 = time.perf_counter()
        ex = E(max_workers=CORES)
        ex.submit(echo, 0).result()
        r[f"{kind} start-up to first result (ms)"] = (time.perf_counter() - t0) * 1000
        list(ex.map(time.sleep, [0.02] * CORES * 4))
        if kind == "thread":
            r[f"{kind} RSS per worker (MiB)"] = (rss(os.getpid()) - before) / CORES
        else:
            pids = list(ex._processes)
            r[f"{kind} RSS per worker (MiB)"] = sum(rss(p) for p in pids) / len(pids)
        r[f"{kind} submit (tasks/s)"] = rate(lambda: [f.result() for f in [ex.submit(echo, i) for i in range(N)]])
        for cs in (1, 100):
            r[f"{kind} map chunksize {cs} (tasks/s)"] = rate(lambda: list(ex.map(echo, range(N), chunksize=cs)))
        ex.shutdown()
        single = 0
        for workers in range(1, CORES + 1):
            with E(max_workers=workers) as cpu:
                list(cpu.map(time.sleep, [0.02] * workers))
                runs = []
                for _ in range(${REPEATS}):
                    t0 = time.perf_counter()
                    list(cpu.map(sum_of_squares, [SQUARES] * CPU_TASKS))
                    runs.append(time.perf_counter() - t0)
                elapsed = sorted(runs)[len(runs) // 2]
            if workers == 1: single = elapsed
            else: r[f"{kind} CPU speedup on {workers} workers (x)"] = single / elapsed
    json.dump(r, sys.stdout)
`;

function benchPython(): Results | undefined {
  const run = spawnSync("python3", ["-c", PYTHON], { encoding: "utf8", timeout: 600_000 });
  if (run.error !== undefined || run.status !== 0) {
    console.log(`(python3 not run: ${run.error?.message ?? run.stderr.trim().split("\n").pop()})`);
    return undefined;
  }
  return JSON.parse(run.stdout) as Results;
}

/** The targets, as a minimum Node/Python ratio per row. */
const TARGETS: Record<string, { ratio?: number; min?: number }> = {
  "thread submit (tasks/s)": { ratio: 1.0 },
  "process submit (tasks/s)": { ratio: 2.0 },
  "process map chunksize 1 (tasks/s)": { ratio: 2.0 },
  "thread map chunksize 100 (tasks/s)": {},
  "process map chunksize 100 (tasks/s)": { ratio: 1.0 },
  "thread CPU speedup on 2 workers (x)": { min: 1.85 },
  "process CPU speedup on 2 workers (x)": { min: 1.8 },
};

function format(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return "-";
  return x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(2);
}

async function main(): Promise<void> {
  console.log(`bench:pools on ${CORES} cores, Node ${process.version}; ${ECHO_TASKS} echo tasks, median of ${REPEATS}\n`);
  const node: Results = { ...(await benchNode("thread")), ...(await benchNode("process")) };
  const python = benchPython();
  const rows = Object.keys(node).map((metric) => {
    const n = node[metric]!;
    const p = python?.[metric];
    const ratio = p === undefined ? undefined : n / p;
    const target = TARGETS[metric];
    let goal = "";
    if (target?.ratio !== undefined) goal = `ratio >= ${target.ratio}: ${ratio === undefined ? "?" : ratio >= target.ratio ? "met" : "MISSED"}`;
    if (target?.min !== undefined) goal = `>= ${target.min}x: ${n >= target.min ? "met" : "MISSED"}`;
    return [metric, format(n), format(p), ratio === undefined ? "-" : ratio.toFixed(2), goal];
  });
  const header = ["metric", "Node", "Python", "Node/Python", "target"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  for (const row of rows) console.log(line(row));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
