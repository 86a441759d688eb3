// Run as a separate process by process-pool-sigint.test.ts, in a process group of its own:
// `node sigint-fixture.js kernel` behaves like tslab (it handles SIGINT), `plain` like a script.
// Two pools: "busy" has every child busy and tasks waiting; "half" has one busy child and one idle.
import { ProcessPoolExecutor, tasks, type Future } from "concurrency-lab";

const mode = process.argv[2];
const say = (message: object) => process.stdout.write(JSON.stringify(message) + "\n");
const pids = (pool: ProcessPoolExecutor) => pool.lanes.map((lane) => Number(lane.slice(4)));

async function outcome(f: PromiseLike<unknown>) {
  try {
    return { ok: true, value: await f };
  } catch (e) {
    return { ok: false, name: (e as Error).name, message: (e as Error).message };
  }
}

async function main(): Promise<void> {
  if (mode === "kernel") process.on("SIGINT", () => say({ event: "kernel saw SIGINT" }));
  const busy = new ProcessPoolExecutor({ maxWorkers: 2 });
  const half = new ProcessPoolExecutor({ maxWorkers: 2 });
  await Promise.all([busy.mapAll(tasks.blockingSleep, [50, 50]), half.mapAll(tasks.blockingSleep, [50, 50])]);
  const before = { busy: pids(busy), half: pids(half) };
  const busyFutures: Future<unknown>[] = [];
  for (let i = 0; i < 6; i++) busyFutures.push(busy.submit(tasks.blockingSleep, 30_000)); // 2 run, 4 wait
  const halfLong = half.submit(tasks.blockingSleep, 30_000); // 1 runs, one child idle
  while (!(busyFutures[0]!.running && busyFutures[1]!.running && halfLong.running)) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 100)); // the tasks are in their synchronous loops
  say({ event: "ready", before });
  const results = { busy: await Promise.all(busyFutures.map(outcome)), half: await outcome(halfLong) };
  const after = { busy: pids(busy), half: pids(half) };
  const next = await outcome(Promise.all([busy.mapAll(tasks.echo, [1, 2]), half.mapAll(tasks.echo, [3, 4])]));
  say({ event: "after", results, after, next });
  await Promise.all([busy.shutdown(), half.shutdown()]);
}

main().catch((e) => {
  say({ event: "error", message: String(e) });
  process.exit(1);
});
