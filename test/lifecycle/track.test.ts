import { spawn } from "node:child_process";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { closeTracked, ProcessPoolExecutor, startSlowServer, ThreadPoolExecutor, track, trackedRoles, untrack } from "concurrency-lab";
import { isAlive } from "../executors/executor-process-helpers";

const test = suite("track");

/** A resource that records when it is closed. */
function fake(log: string[], name: string, how: "shutdown" | "close" = "close") {
  const closeIt = async () => {
    await new Promise((r) => setTimeout(r, 5));
    log.push(`closed ${name}`);
  };
  return how === "shutdown" ? { name, shutdown: closeIt } : { name, close: closeIt };
}

test.after.each(async () => {
  await closeTracked();
});

test("tracking a role again closes the earlier resource first and returns the new one", async () => {
  const log: string[] = [];
  const a = await track("pool", fake(log, "a", "shutdown"));
  assert.is(a.name, "a");
  const b = await track("pool", fake(log, "b", "shutdown"));
  assert.is(b.name, "b");
  assert.equal(log, ["closed a"]);
  assert.equal(trackedRoles(), ["pool"]);
});

test("a factory is called only after the earlier resource is closed", async () => {
  const log: string[] = [];
  await track("server", fake(log, "a"));
  const b = await track("server", () => {
    log.push("making b");
    return fake(log, "b");
  });
  assert.equal(log, ["closed a", "making b"]);
  assert.is(b.name, "b");
});

test("a promise of a resource is awaited", async () => {
  const log: string[] = [];
  const a = await track("p", Promise.resolve(fake(log, "a")));
  assert.is(a.name, "a");
});

test("closeTracked closes everything, newest first, and forgets it", async () => {
  const log: string[] = [];
  await track("one", fake(log, "1"));
  await track("two", fake(log, "2"));
  await track("one", fake(log, "1b")); // re-tracked: now the newest
  assert.equal(await closeTracked(), ["one", "two"]);
  assert.equal(log, ["closed 1", "closed 1b", "closed 2"]);
  assert.equal(trackedRoles(), []);
  assert.equal(await closeTracked(), []);
});

test("tracking the same resource again does not close it", async () => {
  const log: string[] = [];
  const a = fake(log, "a");
  await track("r", a);
  await track("r", a);
  assert.equal(log, []);
});

test("a failing close of the earlier resource warns and still tracks the new one", async () => {
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (m: string) => warnings.push(m);
  try {
    await track("bad", { close: async () => { throw new Error("boom"); } });
    const b = await track("bad", { close: async () => undefined, id: 2 });
    assert.is(b.id, 2);
    assert.match(warnings.join("\n"), /track\("bad"\).*boom/);
  } finally {
    console.warn = warn;
  }
});

test("closeTracked closes the others when one fails and names the failing role", async () => {
  const log: string[] = [];
  await track("ok", fake(log, "ok"));
  await track("broken", { close: async () => { throw new Error("cannot"); } });
  try {
    await closeTracked();
    assert.unreachable("should have thrown");
  } catch (error) {
    assert.match((error as Error).message, /broken: cannot/);
  }
  assert.equal(log, ["closed ok"]);
  assert.equal(trackedRoles(), []);
});

test("something that cannot be closed is refused with a clear TypeError", async () => {
  try {
    await track("x", { name: "no close" } as never);
    assert.unreachable("should have thrown");
  } catch (error) {
    assert.instance(error, TypeError);
    assert.match((error as Error).message, /track\("x", …\).*no shutdown\(\), close\(\)/);
  }
});

test("untrack closes one role", async () => {
  const log: string[] = [];
  await track("u", fake(log, "u"));
  assert.is(await untrack("u"), true);
  assert.is(await untrack("u"), false);
  assert.equal(log, ["closed u"]);
});

test("real pools, a slow server and a child process are closed: no process left", async () => {
  const procs = await track("procs", new ProcessPoolExecutor({ maxWorkers: 2 }));
  await procs.mapAll((await import("concurrency-lab")).tasks.echo, [1, 2]);
  const poolPids = procs.lanes.map((lane) => Number(lane.slice(4)));
  const threads = await track("threads", new ThreadPoolExecutor({ maxWorkers: 1 }));
  await threads.submit((await import("concurrency-lab")).tasks.echo, 1);
  const server = await track("server", startSlowServer({ delayMs: 0 }));
  const child = await track("child", spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" }));
  const pids = [...poolPids, server.pid, child.pid!];
  assert.equal(pids.filter(isAlive), pids);

  // A re-run: the server's role is taken by a new one, the old server is gone.
  const server2 = await track("server", () => startSlowServer({ delayMs: 0 }));
  assert.is(isAlive(server.pid), false);

  assert.equal(await closeTracked(), ["server", "child", "threads", "procs"]);
  assert.equal([...pids, server2.pid].filter(isAlive), []);
  assert.is(threads.isShutdown, true);
});

test("re-tracking a busy pool stops its work instead of waiting for it", async () => {
  const { tasks, TaskAbortedError, CancelledError } = await import("concurrency-lab");
  const makers = [() => new ProcessPoolExecutor({ maxWorkers: 1 }), () => new ThreadPoolExecutor({ maxWorkers: 1 })];
  for (const make of makers) {
    const old = await track("busy pool", make());
    const running = old.submit(tasks.blockingSleep, 60_000);
    const waiting = old.submit(tasks.echo, "never");
    while (!running.running) await new Promise((r) => setTimeout(r, 10));
    const lanes = old.lanes;
    const fresh = await track("busy pool", make());
    // Had track waited, the 60 s task would have finished (fulfilled), not been stopped.
    const error = await running.then(() => undefined, (e: unknown) => e as Error);
    assert.instance(error, TaskAbortedError);
    assert.match(error!.message, /the pool was terminated/);
    assert.instance(await waiting.then(() => undefined, (e: unknown) => e as Error), CancelledError);
    assert.is(old.isShutdown, true);
    if (old instanceof ProcessPoolExecutor) assert.equal(lanes.map((l) => Number(l.slice(4))).filter(isAlive), []);
    assert.is(await fresh.submit(tasks.echo, 5), 5);
  }
});

test("a plain script that tracks a pool and exits leaves no child behind", async () => {
  const lib = require.resolve("concurrency-lab");
  const script = `const L = require(${JSON.stringify(lib)});
    (async () => {
      const pool = await L.track("pool", new L.ProcessPoolExecutor({ maxWorkers: 1 }));
      await pool.submit(L.tasks.echo, 1);
      console.log(pool.lanes[0].slice(4));
      process.exit(0);
    })();`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  await new Promise((r) => child.on("exit", r));
  const pid = Number(out.trim());
  assert.ok(pid > 0);
  // The child leaves when its channel closes; give it a moment (a structural wait, not a timing claim).
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  assert.is(isAlive(pid), false);
});

test.run();
