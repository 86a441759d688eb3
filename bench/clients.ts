/**
 * `npm run bench:clients [-- --runs 3 --delay 1000]`
 *
 * The lecture's client runs at full scale against the slow server
 * (`gunicorn -w 3`, 1 s per request): wall time of each strategy, its ratio to
 * the physical floor, and the lecture's published `time python …` figures.
 *
 * Floor: a run of n requests, at most c of them in flight from the client and
 * `workers` served at once, cannot end before ceil(n / min(c, workers)) × delay.
 * For sequential c = 1 (3 s for 3 requests); for every other strategy here c
 * is at least the worker count, so the floor is ceil(n / workers) × delay.
 * Thread and process workers each send as soon as they are up (as the
 * lecture's threads and Pool do); the slowest worker's start-up is reported
 * in its own column and the ratio is taken on the time after it.
 */
import { parseArgs } from "node:util";
import {
  fetchAsync,
  fetchAsyncLimited,
  fetchSequential,
  fetchWithProcesses,
  fetchWithThreads,
  machineInfo,
  runPython,
  sampleStats,
  startSlowServer,
  type ClientRun,
} from "concurrency-lab";
import * as path from "node:path";

const WORKERS = 3;

interface Scenario {
  name: string;
  /** The lecture's script and its published `real` time in seconds, if it has one. */
  lecture?: { script: string; seconds: number };
  /** The notebook's standard-library Python version of it and its arguments after the server URL. */
  python?: { file: string; args: number[] };
  n: number;
  /** Requests the client keeps in flight at most. */
  clientConcurrency: number;
  run: (urls: string[]) => Promise<ClientRun>;
}

const scenarios: Scenario[] = [
  { name: "sequential ×3", lecture: { script: "client_sync.py", seconds: 3.24 }, n: 3, clientConcurrency: 1, run: (u) => fetchSequential(u), python: { file: "03_client_sync.py", args: [3] } },
  { name: "threads ×3", lecture: { script: "client_threading.py", seconds: 1.199 }, n: 3, clientConcurrency: 3, run: (u) => fetchWithThreads(u), python: { file: "03_client_threading.py", args: [3] } },
  { name: "async ×3", lecture: { script: "client_async.py", seconds: 1.415 }, n: 3, clientConcurrency: 3, run: (u) => fetchAsync(u), python: { file: "03_client_async.py", args: [3] } },
  { name: "process pool(3) ×3", lecture: { script: "client_multiprocessing.py", seconds: 1.347 }, n: 3, clientConcurrency: 3, run: (u) => fetchWithProcesses(u, 3), python: { file: "03_client_multiprocessing.py", args: [3, 3] } },
  { name: "async ×9 unlimited", n: 9, clientConcurrency: 9, run: (u) => fetchAsync(u) },
  { name: "async ×9 semaphore(3)", lecture: { script: "client_async_with_semaphore.py", seconds: 3.375 }, n: 9, clientConcurrency: 3, run: (u) => fetchAsyncLimited(u, 3), python: { file: "03_client_async_semaphore.py", args: [9, 3] } },
  { name: "async ×9 agent maxSockets 3", n: 9, clientConcurrency: 3, run: (u) => fetchAsync(u, { maxSockets: 3 }) },
];

const s = (ms: number) => (ms / 1000).toFixed(3);
/** The notebooks' Python programs (bench/ is compiled to build/bench/). */
const PYTHON_DIR = path.join(__dirname, "..", "..", "notebooks", "python");

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string" }, delay: { type: "string" } } });
  const runs = Number(values.runs ?? 3);
  const delayMs = Number(values.delay ?? 1000);
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`--runs must be an integer >= 1, got ${values.runs}`);
  const python3 = machineInfo().python3 !== null;
  const server = await startSlowServer({ workers: WORKERS, delayMs });
  console.log(`slow server: ${WORKERS} sync workers (gunicorn's model), ${delayMs} ms per request; median of ${runs} run(s) per strategy\n`);
  const rows: string[][] = [];
  try {
    for (const sc of scenarios) {
      const walls: number[] = [];
      const startups: number[] = [];
      const afterStartup: number[] = [];
      const pyWalls: number[] = [];
      let maxServerWait = 0;
      for (let r = 0; r < runs; r++) {
        const urls = Array.from({ length: sc.n }, (_, i) => `${server.url}/?i=${i}`);
        const run = await sc.run(urls);
        if (run.errors > 0) throw new Error(`${sc.name}: ${run.errors} request(s) failed: ${run.bodies.find((b) => b instanceof Error)}`);
        walls.push(run.wallMs);
        startups.push(run.startupMs);
        afterStartup.push(run.wallMs - run.startupMs);
        maxServerWait = Math.max(maxServerWait, ...run.results.map((x) => x.serverQueueWaitMs ?? 0));
        if (sc.python && python3) {
          const py = await runPython(path.join(PYTHON_DIR, sc.python.file), [server.url, ...sc.python.args]);
          pyWalls.push(py.wallMs); // like `time python3 …`: interpreter start-up included
        }
      }
      const floor = Math.ceil(sc.n / Math.min(sc.clientConcurrency, WORKERS)) * delayMs;
      const wall = sampleStats(walls).median;
      const startup = sampleStats(startups).median;
      const ratio = sampleStats(afterStartup).median / floor;
      rows.push([
        sc.name,
        s(floor),
        s(wall),
        startup > 0 ? s(startup) : "-",
        ratio.toFixed(3) + (ratio <= 1.05 ? "" : "  > 1.05"),
        s(maxServerWait),
        pyWalls.length ? s(sampleStats(pyWalls).median) : "-",
        // The lecture's server took 1 s per request: its floor is the same number of rounds of 1 s.
        sc.lecture ? `${sc.lecture.seconds.toFixed(3)} (${(sc.lecture.seconds / (floor / delayMs)).toFixed(2)}×)` : "-",
      ]);
      console.log(`  ${sc.name}: ${walls.map(s).join(", ")} s`);
    }
  } finally {
    await server.close();
  }
  const header = ["strategy", "floor s", "wall s", "start-up s", "ratio*", "max server queue s", "python s**", "lecture s (× floor)"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log("\n" + line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
  console.log("\n* ratio = (wall − start-up) / floor, median over runs. The lecture's times are `time python …`,");
  console.log("  so they also include interpreter start-up (and, for multiprocessing, forking the pool).");
  console.log("** the notebooks' standard-library Python clients (notebooks/python/03_client_*.py), median wall time");
  console.log("   from spawn to exit, interpreter start-up included, like the lecture's figures.");
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
