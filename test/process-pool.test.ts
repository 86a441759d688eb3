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

processes.run();
