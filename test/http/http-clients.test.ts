import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  fetchAsync,
  fetchAsyncLimited,
  fetchSequential,
  fetchWithProcesses,
  fetchWithThreadPool,
  fetchWithThreads,
  HttpStatusError,
  sleep,
  startSlowServer,
  type ClientRun,
  type SlowServer,
} from "concurrency-lab";

const DELAY = 100;
/** The lecture's server: sync workers (the default). */
let server: SlowServer;
/** An async-class server, for the tests that abandon requests (a sync worker would stay held to the end). */
let asyncServer: SlowServer;

test.before(async () => {
  server = await startSlowServer({ workers: 3, delayMs: DELAY });
  asyncServer = await startSlowServer({ workerClass: "async", workers: 3, delayMs: DELAY });
});
test.before.each(async () => {
  await server.reset();
  await asyncServer.reset();
});
test.after(async () => {
  await server.close();
  await asyncServer.close();
});

const urls = (n: number) => Array.from({ length: n }, (_, i) => `${server.url}/?i=${i}`);

/** Server-side queue waits of the run's requests, in delays. */
const serverWaits = (run: ClientRun) => run.results.map((r) => r.serverQueueWaitMs! / DELAY);

/** True if every request of the run was in flight at one moment (each started before any ended). */
const allOverlap = (run: ClientRun) => Math.max(...run.results.map((r) => r.start)) < Math.min(...run.results.map((r) => r.end));

test("sequential requests run one after another; async ones are all in flight at once", async () => {
  const sequential = await fetchSequential(urls(3));
  const concurrent = await fetchAsync(urls(3));
  assert.equal(sequential.bodies, Array(3).fill("This is a slow web api\n"));
  assert.equal(concurrent.bodies, sequential.bodies);
  // Structural, not a speed ratio (bench:clients prints that): each sequential request starts after the previous ended.
  const seq = sequential.results;
  assert.ok(seq.every((r, i) => i === 0 || r.start >= seq[i - 1]!.end), "sequential requests do not overlap");
  assert.ok(allOverlap(concurrent), "the three async requests overlap");
  assert.equal(new Set(sequential.results.map((r) => r.lane)), new Set(["main"]));
  assert.is(new Set(concurrent.results.map((r) => r.lane)).size, 3); // task 1..3
});

test("9 unlimited requests queue on the server; a semaphore, an agent and a pool of 3 each keep its queue empty", async () => {
  const unlimited = await fetchAsync(urls(9));
  assert.ok(Math.max(...serverWaits(unlimited)) > 1.5, "without a limit, the last three wait ~2 delays on the server");
  const bounded = [
    await fetchAsyncLimited(urls(9), 3), // asyncio.Semaphore(3)
    await fetchAsync(urls(9), { maxSockets: 3 }), // TCPConnector(limit=3)
    await fetchWithThreadPool(urls(9), 3), // ThreadPoolExecutor(3)
  ];
  for (const run of bounded) {
    await server.reset();
    assert.is(run.errors, 0, run.strategy);
    // The waiting moved to the client: the run still takes at least 3 delays of service.
    assert.ok(run.wallMs >= 3 * DELAY, `${run.strategy} took ${run.wallMs} ms`);
  }
  // Structural: with at most 3 in flight, no request ever waited while all 3 workers were busy.
  for (const send of [(u: string[]) => fetchAsyncLimited(u, 3), (u: string[]) => fetchAsync(u, { maxSockets: 3 })]) {
    await server.reset();
    await send(urls(9));
    assert.is((await server.stats()).maxQueued, 0);
  }
  const limited = bounded[0];
  const waited = limited.spans.filter((s) => s.kind === "waiting" && s.end - s.start > DELAY / 2);
  assert.is(waited.length, 6, "tasks 4..9 wait for the semaphore");
});

test("500 requests at concurrency 50 with no delay all succeed and leave no socket open", async () => {
  const fast = await startSlowServer({ workerClass: "async", workers: 10, delayMs: 0 });
  try {
    const sockets = () => (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles().filter((h) => h.constructor.name === "Socket").length;
    const before = sockets();
    const many = Array.from({ length: 500 }, (_, i) => `${fast.url}/json?i=${i}`);
    const run = await fetchAsyncLimited(many, 50);
    assert.is(run.errors, 0);
    assert.is(run.results.filter((r) => r.status === 200).length, 500);
    assert.equal(JSON.parse(run.bodies[499] as string).message, "This is a slow web api");
    assert.is(sockets(), before, "every socket of the run is closed");
    const stats = await fast.stats();
    assert.equal([stats.busy, stats.queued, stats.outcomes.served], [0, 0, 500]);
  } finally {
    await fast.close();
  }
});

test("one failed URL never loses the others: errors come back in place, per URL", async () => {
  const server = asyncServer; // it drops a timed-out request's handler, so the four runs do not pile up
  const mixed = [`${server.url}/`, `${server.url}/status/500`, "http://127.0.0.1:1/", `${server.url}/delay/3000`];
  const options = { timeoutMs: 400, raiseForStatus: true };
  const runs = [
    await fetchSequential(mixed, options),
    await fetchAsync(mixed, options),
    await fetchWithThreadPool(mixed, 2, options),
    await fetchWithProcesses(mixed, 2, options),
  ];
  for (const run of runs) {
    const [ok, status, refused, slow] = run.bodies;
    assert.is(ok, "This is a slow web api\n", run.strategy);
    assert.instance(status, HttpStatusError, run.strategy);
    assert.is((status as HttpStatusError).status, 500);
    assert.instance(refused, Error);
    assert.match((refused as Error).message, /ECONNREFUSED/);
    assert.instance(slow, Error);
    assert.is((slow as Error).name, "TimeoutError", run.strategy);
    assert.match((slow as Error).message, /timed out after 400 ms/);
    assert.is(run.errors, 3);
    assert.is(run.results[1].status, 500, "the status is kept even when it counts as an error");
  }
  // Without raiseForStatus a 500 is a response like any other (requests and aiohttp do not raise either).
  const plain = await fetchAsync([`${server.url}/status/500`]);
  assert.is(plain.errors, 0);
  assert.is(plain.results[0].status, 500);
});

test("a timeout gives up before the answer; an async server frees the worker, a sync one holds it to the end", async () => {
  const run = await fetchAsync([`${asyncServer.url}/delay/5000`], { timeoutMs: 150 });
  assert.ok(run.wallMs < 5000, `gave up after ${run.wallMs} ms, not when the 5 s answer came`);
  assert.is(run.results[0].error?.name, "TimeoutError");
  let records = await asyncServer.requests();
  for (let tries = 0; records.length === 0 && tries < 100; tries++) {
    await sleep(20); // the server notices the closed socket a moment later
    records = await asyncServer.requests();
  }
  assert.is(records[0].outcome, "client-gone");
  assert.ok(records[0].end < records[0].start! + 5000, "its handler stopped early");
  const syncRun = await fetchAsync([`${server.url}/delay/400`], { timeoutMs: 100 });
  assert.is(syncRun.results[0].error?.name, "TimeoutError");
  for (let tries = 0; (await server.requests()).length === 0 && tries < 200; tries++) await sleep(20);
  const [held] = await server.requests();
  assert.is(held.outcome, "served", "the sync worker never noticed");
  assert.ok(held.end > syncRun.end && held.end - held.start! >= 399, "and held the request for its whole delay");
});

test("an aborted signal cancels what is pending, keeping what finished", async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error("user cancelled")), 3 * DELAY);
  const s = asyncServer; // a sync worker would stay held by the abandoned request
  const run = await fetchAsyncLimited([`${s.url}/`, `${s.url}/delay/2000`, `${s.url}/delay/2000`], 1, {
    signal: controller.signal,
  });
  assert.is(run.bodies[0], "This is a slow web api\n");
  assert.is((run.bodies[1] as Error).message, "user cancelled"); // aborted while running
  assert.is((run.bodies[2] as Error).message, "user cancelled"); // aborted while waiting for the semaphore
  assert.ok(run.wallMs < DELAY + 2000, `${run.wallMs} ms: the second request's 2 s would have ended first`);
});

test("threads: one thread per URL; processes: one child per worker, start-up reported apart", async () => {
  // Long requests, so that the three overlap even when the workers come up at different times.
  const urls = (n: number) => Array.from({ length: n }, (_, i) => `${server.url}/delay/1500?i=${i}`);
  const threads = await fetchWithThreads(urls(3));
  assert.is(threads.errors, 0);
  const threadLanes = new Set(threads.results.map((r) => r.lane));
  assert.is(threadLanes.size, 3);
  for (const lane of threadLanes) assert.match(lane, /^thread \d+$/);
  const processes = await fetchWithProcesses(urls(3), 3);
  assert.is(processes.errors, 0);
  const pids = new Set(processes.results.map((r) => r.lane));
  assert.is(pids.size, 3);
  for (const lane of pids) assert.match(lane, /^pid \d+$/);
  assert.ok(processes.startupMs > 0);
  // One round of 3: every request in flight at once (structural; the times are the benchmarks' business).
  for (const run of [threads, processes]) {
    assert.ok(allOverlap(run), `${run.strategy}: the 3 requests overlap`);
    // No barrier: each worker's start-up is a span on its own lane, ending when it sent its own request.
    for (const r of run.results) {
      const starting = run.spans.find((sp) => sp.lane === r.lane && sp.kind === "starting");
      assert.ok(starting, `${run.strategy}: ${r.lane} has a starting span`);
      assert.equal([starting!.start, starting!.end], [run.start, r.start]);
    }
    assert.is(run.startupMs, Math.max(...run.results.map((r) => r.start - run.start)));
    assert.not.ok(run.spans.some((sp) => sp.kind === "queued"), "one URL per worker: nothing waits in the pool's queue");
  }
});

test("a pool smaller than the URL list draws each URL's wait in the pool's queue on a lane of its own", async () => {
  const run = await fetchWithThreadPool(urls(6), 2);
  assert.is(run.errors, 0);
  assert.is(new Set(run.results.map((r) => r.lane)).size, 2);
  const queued = run.spans.filter((sp) => sp.kind === "queued");
  assert.is(queued.length, 4, "URLs 3..6 waited for a busy thread");
  for (const sp of queued) {
    assert.match(sp.lane, /^queue \d+$/);
    const r = run.results[Number(sp.lane.split(" ")[1]) - 1];
    assert.equal([sp.start, sp.end], [r.queued, r.start]);
  }
});

test("spans and results line up on the shared clock", async () => {
  const run = await fetchAsync(urls(3));
  assert.is(run.spans.length, 3);
  const records = await server.requests();
  for (const r of run.results) {
    assert.ok(run.start <= r.start && r.start < r.end && r.end <= run.end);
    const served = records.find((x) => x.path === new URL(r.url).pathname + new URL(r.url).search)!;
    assert.ok(served.arrival >= r.start && served.end <= r.end, "the server saw the request inside the client's span");
  }
});

test("bad arguments throw errors that name them", async () => {
  const rejects = async (p: Promise<unknown>, kind: typeof TypeError, pattern: RegExp) => {
    const err = await p.then(() => undefined, (e: Error) => e);
    assert.instance(err, kind);
    assert.match(err!.message, pattern);
  };
  await rejects(fetchAsync("http://x" as unknown as string[]), TypeError, /urls must be an array/);
  await rejects(fetchAsync(["not a url"]), TypeError, /urls\[0\] must be an absolute URL/);
  await rejects(fetchAsyncLimited(urls(1), 0), RangeError, /limit must be >= 1/);
  await rejects(fetchWithThreadPool(urls(1), 1.5), TypeError, /n must be an integer/);
  await rejects(fetchSequential(urls(1), { timeoutMs: -1 }), RangeError, /timeoutMs must be a number > 0/);
  await rejects(fetchAsync(urls(1), { maxSockets: 0 }), RangeError, /maxSockets must be >= 1/);
});

test.run();
