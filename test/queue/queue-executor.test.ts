// QueueExecutor where it differs from the pools on purpose: at least once, cancel only while
// waiting, JSON only, retries, rate limits, durability; and the Redis fixture and worker CLI.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  CancelledError, JobLostError, QueueExecutor, RedisNotFoundError, TaskAbortedError, TaskTimeoutError, Timeline, countLines, defineTask,
  now, queueTasks, startRedis, tasks, taskFrom, type RedisServer,
} from "concurrency-lab";
import { spawnReporting } from "../executors/executor-process-helpers";
import { isAlive, redisOrSkip, waitFor } from "./queue-helpers";

const queue = suite("QueueExecutor");
const available = redisOrSkip("the QueueExecutor tests");
let redis: RedisServer;
const lib = require.resolve("concurrency-lab");
const cli = path.join(path.dirname(lib), "cli", "queue-worker.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cl-queue-test-"));
const test = (name: string, fn: () => Promise<void>) => (available ? queue(name, fn) : queue.skip(name, fn));
/** A job that holds its worker until the test opens its gate (a file); see queue-test-tasks.ts. */
const holdUntil = taskFrom<[gate: string, maxMs: number, doneFile?: string], string>(
  path.join(__dirname, "queue-test-tasks.js"), "holdUntil");

queue.before(async () => {
  if (available) redis = await startRedis({ url: null });
});
queue.after(async () => {
  await redis?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test("startRedis: a private server on loopback with persistence off; close() stops it", async () => {
  const own = await startRedis({ url: null });
  assert.match(own.url, /^redis:\/\/127\.0\.0\.1:\d+$/);
  assert.is(own.external, false);
  assert.is(own.dataDir, undefined);
  const pid = own.pid!;
  assert.ok(isAlive(pid));
  const info = spawnSync("redis-cli", ["-u", own.url, "CONFIG", "GET", "appendonly"], { encoding: "utf8" });
  if (info.status === 0) assert.match(info.stdout, /no/);
  await own.close();
  await waitFor(() => !isAlive(pid), "redis-server to exit");
});

test("startRedis: a missing redis-server names how to install it", async () => {
  const error = await startRedis({ url: null, server: "/nonexistent/redis-server" }).catch((e: unknown) => e);
  assert.instance(error, RedisNotFoundError);
  const message = (error as Error).message;
  assert.match(message, /apt-get install redis-server/);
  assert.match(message, /conda-forge redis-server/);
  assert.match(message, /docker run/);
  assert.match(message, /REDIS_URL/);
});

test("startRedis: REDIS_URL is used when set (nothing started, close() leaves it running)", async () => {
  process.env.REDIS_URL = redis.url;
  try {
    const outside = await startRedis();
    assert.is(outside.external, true);
    assert.is(outside.url, redis.url);
    await outside.close();
    assert.ok(isAlive(redis.pid!));
    assert.match(String(await outside.restart().catch((e: Error) => e.message)), /cannot restart an outside Redis/);
  } finally {
    delete process.env.REDIS_URL;
  }
});

test("at least once: a worker killed mid-job stalls the job; another worker runs it again after the lock expires", async () => {
  const timeline = new Timeline();
  const q = new QueueExecutor({
    redis, maxWorkers: 2, timeline, announceStarts: true, respawn: false,
    worker: { lockDurationMs: 1000, stalledIntervalMs: 300 },
  });
  try {
    await q.ready();
    const file = path.join(tmp, "orders.log");
    const f = q.submit(queueTasks.recordThenWork, file, "order 1", 600);
    await waitFor(() => q.runningOn(f) !== undefined, "the job to start");
    const running = q.runningOn(f)!;
    const { lane: victim } = await q.killWorkerOf(f, { afterMs: 100 });
    assert.is(victim, running);
    assert.is(await f, 2, "the retry sees two records");
    assert.is(countLines(file, "order 1"), 2, "executed twice");
    const stats = q.stats;
    assert.is(stats.started, 2);
    assert.is(stats.completed, 1);
    assert.is(stats.stalled, 1);
    const spans = timeline.spans();
    assert.ok(spans.some((s) => s.kind === "stalled" && s.lane === victim), JSON.stringify(spans));
    assert.ok(spans.some((s) => s.kind === "running" && s.lane !== victim), JSON.stringify(spans));
    assert.equal(q.workers!.deaths.map((d) => [d.lane, d.signal]), [[victim, "SIGKILL"]]);
  } finally {
    await q.shutdown();
  }
});

test("an idempotent task records once however often it runs", async () => {
  const q = new QueueExecutor({ redis, maxWorkers: 1 });
  try {
    const file = path.join(tmp, "once.log");
    assert.equal(await Promise.all([1, 2, 3].map(() => q.submit(queueTasks.recordOnce, file, "order 7", 0))), [1, 1, 1]);
  } finally {
    await q.shutdown();
  }
});

test("retries with exponential backoff: a task that fails twice succeeds on its third attempt", async () => {
  const timeline = new Timeline();
  const q = new QueueExecutor({ redis, maxWorkers: 1, timeline });
  try {
    await q.ready();
    const attempt = await q.submitWith({ attempts: 3, backoff: { type: "exponential", delayMs: 150 } }, queueTasks.flaky, 2, 10);
    assert.is(attempt, 3);
    const spans = timeline.spans();
    assert.equal(spans.map((s) => s.kind), ["failed", "failed", "running"]);
    const gaps = [spans[1]!.start - spans[0]!.end, spans[2]!.start - spans[1]!.end];
    assert.ok(gaps[0]! >= 140 && gaps[1]! >= 290, `backoff gaps ${gaps.map((g) => g.toFixed(0))} ms: expected >= 150 and >= 300`);
    assert.is(q.stats.retried, 2);
    const error = (await q.submit(queueTasks.flaky, 1, 0).catch((e: unknown) => e)) as Error;
    assert.match(error.message, /refused attempt 1/);
  } finally {
    await q.shutdown();
  }
});

test("cancel only while waiting: jobs wait in Redis without workers; a cancelled one is removed", async () => {
  const q = new QueueExecutor({ redis, maxWorkers: 0 });
  try {
    const [a, b, c] = [1, 2, 3].map((i) => q.submit(tasks.echo, i));
    await waitFor(async () => (await q.counts()).waiting === 3, "3 waiting jobs");
    assert.is(b!.cancel(), true);
    await waitFor(async () => (await q.counts()).waiting === 2, "the cancelled job to leave Redis");
    await q.addWorkers(1);
    assert.equal(await Promise.all([a, c]), [1, 3]);
    assert.instance(await b!.catch((e: unknown) => e), CancelledError);
    const running = q.submit(tasks.blockingSleep, 400);
    await waitFor(() => running.running, "the job to run");
    assert.is(running.cancel(), false);
    await running;
  } finally {
    await q.shutdown();
  }
});

test("timeoutMs and signal stop only the waiting: the future rejects, the job runs on", async () => {
  const q = new QueueExecutor({ redis, maxWorkers: 1 });
  try {
    await q.ready();
    const gate = path.join(tmp, "timeout-gate");
    const slow = q.submitWith({ timeoutMs: 100 }, holdUntil, gate, 30_000);
    const error = (await slow.catch((e: unknown) => e)) as Error;
    assert.instance(error, TaskTimeoutError);
    assert.match(error.message, /not stopped/);
    // The job cannot end before the gate opens: the future gave up while it was still running.
    assert.is(q.stats.completed, 0, "rejected before the job ended");
    assert.is((await q.counts()).active, 1, "the job still runs on its worker");
    fs.writeFileSync(gate, "");
    const ac = new AbortController();
    const waiting = q.submitWith({ signal: ac.signal }, tasks.echo, "never");
    ac.abort();
    assert.instance(await waiting.catch((e: unknown) => e), CancelledError);
    assert.is(await q.submit(tasks.echo, "after"), "after");
    await waitFor(() => q.stats.completed === 2, "the timed-out job to complete anyway once its gate opened");
  } finally {
    await q.shutdown();
  }
});

test("JSON only: values JSON would change are refused with their path, arguments and results", async () => {
  const q = new QueueExecutor({ redis, maxWorkers: 1 });
  try {
    const refused = async (value: unknown) => ((await q.submit(tasks.echo, value).catch((e: unknown) => e)) as Error).message;
    assert.match(await refused({ when: new Date() }), /args\[0\]\.when\) is a Date/);
    assert.match(await refused({ m: new Map() }), /args\[0\]\.m\) is a Map/);
    assert.match(await refused([1, undefined]), /args\[0\]\[1\]\) is undefined/);
    assert.match(await refused(new Uint8Array(2)), /is a Uint8Array/);
    assert.match(await refused(new (class Point { x = 1 })()), /is a Point instance/);
    assert.match(await refused(10n), /is a bigint/);
    const result = (await q.submit(defineTask(() => new Map([[1, 2]]))).catch((e: unknown) => e)) as Error;
    assert.instance(result, TypeError);
    assert.match(result.message, /returned a value that cannot be sent back .* the result is a Map/);
    assert.equal(await q.submit(tasks.echo, { a: [1, "x", null], b: { c: true } }), { a: [1, "x", null], b: { c: true } });
  } finally {
    await q.shutdown();
  }
});

test("workers run tasks by name when the producer's module path does not exist on their machine", async () => {
  const q = new QueueExecutor({ redis, maxWorkers: 1 });
  try {
    const byName = taskFrom<[number, number], number>("/elsewhere/tasks.js", "countPrimes");
    assert.is(await q.submit(byName, 0, 100), 25);
    const unknown = taskFrom<[], never>("/elsewhere/tasks.js", "noSuchTask");
    assert.match(((await q.submit(unknown).catch((e: unknown) => e)) as Error).message, /not registered .*--tasks/);
  } finally {
    await q.shutdown();
  }
});

test("rate limit: the workers' limiter starts at most max jobs per duration across all workers", async () => {
  const q = new QueueExecutor({ redis, maxWorkers: 2, worker: { limiter: { max: 2, durationMs: 400 } } });
  try {
    await q.ready();
    const t0 = now();
    await q.mapAll(tasks.echo, [1, 2, 3, 4, 5, 6]);
    const elapsed = now() - t0;
    assert.ok(elapsed >= 750, `6 jobs at 2 per 400 ms took ${elapsed.toFixed(0)} ms: expected >= 800`);
  } finally {
    await q.shutdown();
  }
});

test("durability: jobs enqueued with no worker are done when workers come; persistent Redis keeps them across a restart", async () => {
  const durable = await startRedis({ url: null, persistence: true });
  const q = new QueueExecutor({ redis: durable, maxWorkers: 0 });
  try {
    assert.ok(durable.dataDir !== undefined && fs.existsSync(durable.dataDir));
    const futures = [1, 2, 3, 4, 5].map((i) => q.submit(tasks.echo, i));
    await waitFor(async () => (await q.counts()).waiting === 5, "5 waiting jobs");
    const before = durable.pid;
    await durable.restart();
    assert.is.not(durable.pid, before);
    assert.is((await q.counts()).waiting, 5, "the jobs survived a clean restart");
    await durable.restart({ hard: true });
    assert.is((await q.counts()).waiting, 5, "the jobs survived a SIGKILL of redis-server (appendfsync always)");
    await q.addWorkers(2);
    assert.equal(await Promise.all(futures), [1, 2, 3, 4, 5]);
  } finally {
    await q.shutdown();
    await durable.close();
  }
});

test("without persistence a restart loses the waiting jobs; reconcile() fails their futures with JobLostError", async () => {
  const volatile = await startRedis({ url: null });
  const q = new QueueExecutor({ redis: volatile, maxWorkers: 0 });
  try {
    const futures = [1, 2, 3].map((i) => q.submit(tasks.echo, i));
    await waitFor(async () => (await q.counts()).waiting === 3, "3 waiting jobs");
    await volatile.restart();
    assert.is((await q.counts()).waiting, 0);
    assert.is(await q.reconcile(), 3);
    for (const f of futures) assert.instance(await f.catch((e: unknown) => e), JobLostError);
  } finally {
    await q.shutdown();
    await volatile.close();
  }
});

test("shutdown: waits for the jobs, stops the workers, deletes its queue; later submits reject", async () => {
  const q = new QueueExecutor({ redis, maxWorkers: 2 });
  await q.ready();
  const pids = q.workerPids;
  assert.is(pids.length, 2);
  const f = q.submit(tasks.blockingSleep, 200);
  const pending = [1, 2, 3, 4].map((i) => q.submit(tasks.echo, i));
  await Promise.all([q.shutdown(), q.shutdown()]);
  assert.ok(f.done && pending.every((p) => p.done));
  assert.equal(pids.filter(isAlive), []);
  assert.is(await q.submit(tasks.echo, 1).catch((e: unknown) => (e as Error).name), "ExecutorShutdownError");
});

test("terminate: stops at once; waiting jobs cancelled, running ones aborted, workers killed", async () => {
  const q = new QueueExecutor({ redis, maxWorkers: 1 });
  await q.ready();
  const pids = q.workerPids;
  // Blocked in synchronous code until a gate that never opens (at most 30 s), then it writes `done`.
  const done = path.join(tmp, "terminate-done");
  const running = q.submit(holdUntil, path.join(tmp, "terminate-gate"), 30_000, done);
  const waiting = q.submit(tasks.echo, 1);
  await waitFor(() => running.running, "the job to run");
  await q.terminate();
  // Had terminate waited for the job, the job would have ended and written `done`.
  assert.not.ok(fs.existsSync(done), "terminate returned while the job was still running");
  assert.instance(await running.catch((e: unknown) => e), TaskAbortedError);
  assert.instance(await waiting.catch((e: unknown) => e), CancelledError);
  await waitFor(() => !pids.some(isAlive), "the worker to die");
  assert.not.ok(fs.existsSync(done), "the job never finished: its worker was killed");
  await q.terminate();
});

test("worker CLI: --help, a missing --redis, and a worker started by hand serving a queue until SIGTERM", async () => {
  const help = spawnSync(process.execPath, [cli, "--help"], { encoding: "utf8" });
  assert.is(help.status, 0);
  assert.match(help.stdout, /--redis URL/);
  const missing = spawnSync(process.execPath, [cli], { encoding: "utf8" });
  assert.is(missing.status, 1);
  assert.match(missing.stderr, /--redis is required/);

  const q = new QueueExecutor({ redis, maxWorkers: 0, concurrency: 2 });
  assert.match(q.workerCommand(), new RegExp(`--redis ${redis.url} --queue ${q.queueName} --concurrency 2`));
  const worker = spawn(process.execPath, [cli, "--redis", redis.url, "--queue", q.queueName], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    let out = "";
    worker.stdout.on("data", (d) => (out += d));
    assert.is(await q.submit(tasks.countPrimes, 0, 1000), 168);
    assert.match(out, /queue worker pid \d+/);
    const source = (await q.submit(defineTask(() => 1)).catch((e: unknown) => e)) as Error;
    assert.match(source.message, /does not run shipped source.*--allow-source/);
  } finally {
    const exited = new Promise<number | null>((r) => worker.once("exit", (code) => r(code)));
    worker.kill("SIGTERM");
    assert.is(await exited, 0);
    await q.shutdown();
  }
});

/** Runs `body` (JavaScript, with `L` the lib) in a child Node process in a process group of its own; resolves its JSON lines. */
function runScript(body: string): Promise<Record<string, unknown>[]> {
  const script = `const L = require(${JSON.stringify(lib)});
    const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
    const say = (x) => console.log(JSON.stringify(x));
    (async () => { ${body} })().catch((e) => { say({ error: String(e && e.stack || e) }); process.exit(1); });`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"], detached: true });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      process.kill(-child.pid!, "SIGKILL");
      reject(new Error(`the script did not end by itself within 30 s: ${out}`));
    }, 30_000);
    child.on("exit", () => {
      clearTimeout(guard);
      resolve(out.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>));
    });
  });
}

test("interrupting the parent (SIGINT to its process group, as Jupyter does) leaves Redis and the workers serving", async () => {
  const lines = await runScript(`
    const redis = await L.startRedis({ url: null });
    const q = new L.QueueExecutor({ redis, maxWorkers: 2 });
    await q.ready();
    const pids = [redis.pid, ...q.workerPids];
    process.on("SIGINT", () => say({ interrupted: true }));
    process.kill(-process.pid, "SIGINT"); // this script leads its own group: the signal reaches the whole group
    await L.sleep(500);
    say({ alive: pids.map(alive), deaths: q.workers.deaths.length, result: await q.submit(L.tasks.echo, 7) });
    await q.shutdown();
    await redis.close();`);
  assert.equal(lines, [{ interrupted: true }, { alive: [true, true, true], deaths: 0, result: 7 }]);
});

test("terminate() and shutdown() return when Redis is gone, and the program can then end", async () => {
  const lines = await runScript(`
    const redis = await L.startRedis({ url: null });
    const a = new L.QueueExecutor({ redis, maxWorkers: 1 });
    const b = new L.QueueExecutor({ redis, maxWorkers: 1 });
    await Promise.all([a.ready(), b.ready()]);
    await a.submit(L.tasks.echo, 1);
    process.kill(redis.pid, "SIGKILL"); // Redis crashes for good
    await L.sleep(300);
    const stuck = a.submit(L.tasks.echo, 2); // can never reach Redis
    await a.terminate();
    say({ terminated: true, stuck: await stuck.catch((e) => e.name) });
    await b.shutdown();
    say({ shutdown: true, left: [...a.workerPids, ...b.workerPids].filter(alive).length });
    await redis.close();`);
  // The script ended by itself (no reconnect loop kept it alive) after both calls returned.
  assert.equal(lines, [{ terminated: true, stuck: "CancelledError" }, { shutdown: true, left: 0 }]);
});

test("redis and the workers exit when their parent is killed with SIGKILL", async () => {
  const script = `const L = require(${JSON.stringify(lib)});
    (async () => {
      const redis = await L.startRedis({ url: null });
      const q = new L.QueueExecutor({ redis, maxWorkers: 2 });
      await q.ready();
      q.submit(L.tasks.blockingSleep, 5000); // one worker busy in a long synchronous task
      await new Promise((r) => setTimeout(r, 300));
      console.log(JSON.stringify([redis.pid, ...q.workerPids]));
      setInterval(() => {}, 1000);
    })();`;
  const parent = await spawnReporting(script);
  const pids = JSON.parse(parent.line) as number[];
  assert.is(pids.length, 3);
  assert.ok(pids.every(isAlive));
  parent.kill(); // SIGKILL
  await waitFor(() => !pids.some(isAlive), `redis and workers (${pids.join(", ")}) to exit`, 8000);
});

queue.run();
