import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ProcessPoolExecutor, tasks } from "concurrency-lab";
import { executorContract } from "./executor-contract";
import { endsByItself, isAlive, parentWithPool } from "./executor-process-helpers";

const processes = suite("ProcessPoolExecutor");
executorContract(processes, (opts) => new ProcessPoolExecutor(opts), /^pid \d+$/);

processes("children inherit the environment and run in their own process", async () => {
  process.env.CONCURRENCY_LAB_TEST_VAR = "inherited";
  const pool = new ProcessPoolExecutor({ maxWorkers: 1 });
  const readEnv = (await import("concurrency-lab")).defineTask(() => [process.env.CONCURRENCY_LAB_TEST_VAR, process.pid] as const);
  const [value, pid] = await pool.submit(readEnv);
  await pool.shutdown();
  assert.is(value, "inherited");
  assert.is.not(pid, process.pid);
});

processes("after shutdown no child process remains", async () => {
  const pool = new ProcessPoolExecutor({ maxWorkers: 2 });
  await pool.mapAll(tasks.echo, [1, 2, 3, 4]);
  const pids = pool.lanes.map((lane) => Number(lane.slice(4)));
  assert.is(pids.length, 2);
  await pool.shutdown();
  assert.equal(pids.filter(isAlive), []);
});

processes("children exit when their parent dies (killed with SIGKILL)", async () => {
  const { kill, childPids } = await parentWithPool();
  assert.is(childPids.length, 2);
  assert.ok(childPids.every(isAlive));
  kill();
  const deadline = Date.now() + 5000;
  while (childPids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(childPids.filter(isAlive), [], "orphaned children");
});

processes("a script that forgets shutdown still ends (idle children do not hold the process)", async () => {
  await endsByItself("ProcessPoolExecutor");
});

processes("a job's timeout counts its running time, not its child's start-up", async () => {
  // A preload that makes every child start 600 ms late; children inherit NODE_OPTIONS.
  const preload = path.join(os.tmpdir(), `slow-start-${process.pid}.js`);
  fs.writeFileSync(preload, "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600);\n");
  const saved = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${saved ?? ""} --require ${JSON.stringify(preload)}`;
  const pool = new ProcessPoolExecutor({ maxWorkers: 1 });
  try {
    assert.is(await pool.submitWith({ timeoutMs: 400 }, tasks.blockingSleep, 10).then(() => "ran", (e: unknown) => String(e)), "ran");
  } finally {
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved;
    await pool.shutdown();
    fs.rmSync(preload, { force: true });
  }
});

processes("a queued job that cannot be sent does not re-arm the running job's timeout", async () => {
  const pool = new ProcessPoolExecutor({ maxWorkers: 1 });
  try {
    await pool.submit(tasks.echo, "warm up"); // the child is up, so the next job's clock starts at once
    const timed = pool.submitWith({ timeoutMs: 800 }, tasks.blockingSleep, 300);
    // A Proxy passes the argument check but not the IPC serializer: the send fails while `timed` runs.
    const unsendable = pool.submit(tasks.echo, new Proxy({}, {}));
    assert.ok((await unsendable.catch((e: unknown) => e)) instanceof TypeError);
    await timed;
    // Past the 800 ms of `timed`: a leftover timer of it would kill the child under this job.
    assert.is(await pool.submit(tasks.blockingSleep, 900).then(() => "ran", (e: unknown) => String(e)), "ran");
  } finally {
    await pool.shutdown();
  }
});

processes.run();
