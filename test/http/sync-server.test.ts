/**
 * The slow server's sync class (the default): gunicorn's pre-fork sync
 * workers. Assertions are structural (order of records, counts, processes),
 * never wall-clock bounds.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { listenQueue, now, sleep, startSlowServer } from "concurrency-lab";
import { alive, byPath, get, maxOverlap, waitUntil, withServer } from "./slow-server-helpers";

test("is the default; N worker processes each serve one request at a time and close the connection", async () => {
  await withServer({ workers: 3, delayMs: 100 }, async (s) => {
    assert.is(s.workerClass, "sync");
    assert.is(s.workerPids.length, 3);
    assert.is(new Set([...s.workerPids, s.pid]).size, 4, "three worker processes besides the main one");
    const responses = await Promise.all(Array.from({ length: 9 }, (_, i) => get(`${s.url}/?i=${i}`)));
    assert.ok(responses.every((r) => r.status === 200));
    assert.ok(responses.every((r) => r.headers.get("connection") === "close"), "one request per connection");
    const records = await s.requests();
    assert.is(records.length, 9);
    assert.is(maxOverlap(records), 3);
    for (const pid of new Set(records.map((r) => r.pid))) {
      assert.ok(s.workerPids.includes(pid!), `pid ${pid} is one of the workers`);
      const mine = records.filter((r) => r.pid === pid);
      assert.is(maxOverlap(mine), 1, `worker pid ${pid} served one request at a time`);
      assert.is(new Set(mine.map((r) => r.worker)).size, 1, "one worker number per process");
    }
    const headerPids = new Set(responses.map((r) => Number(r.headers.get("x-worker-pid"))));
    for (const pid of headerPids) assert.ok(s.workerPids.includes(pid));
  });
});

test("the queue wait is accept time minus the client's x-sent-at; without the header it is unknown (0, sent null)", async () => {
  await withServer({ workers: 1, delayMs: 150 }, async (s) => {
    const [a, b] = await Promise.all([get(`${s.url}/?who=a`), get(`${s.url}/?who=b`)]);
    assert.is(a.status + b.status, 400);
    const records = await s.requests();
    const [first, second] = [...records].sort((x, y) => x.start! - y.start!);
    assert.ok(second.start! >= first.end, "the one worker took the second connection only after the first was done");
    for (const r of records) {
      assert.ok(r.sent !== null);
      assert.is(r.arrival, r.sent);
      assert.ok(Math.abs(r.queueWait - (r.start! - r.sent!)) < 1e-6);
    }
    assert.ok(second.queueWait > first.queueWait, "the second waited in the backlog while the first was served");
    const header = Number((a.headers.get("x-queue-wait-ms") ? a : b).headers.get("x-queue-wait-ms"));
    assert.ok(Number.isFinite(header));
    await s.reset();
    const plain = await get(`${s.url}/?who=curl`, { sentAt: false });
    assert.is(plain.headers.get("x-queue-wait-ms"), null);
    const [curl] = await s.requests();
    assert.equal([curl.sent, curl.queueWait, curl.arrival], [null, 0, curl.start]);
  });
});

test("waiting connections sit in the kernel's listen backlog, not in the server", async () => {
  if (listenQueue(1) === null && !require("node:fs").existsSync("/proc/net/tcp")) return; // no /proc: nothing to read
  await withServer({ workers: 1, delayMs: 1500 }, async (s) => {
    const pending = [0, 1, 2].map((i) => get(`${s.url}/?i=${i}`));
    // One is accepted and held by the only worker; the kernel holds the other two.
    const seen = await waitUntil(async () => (await s.stats()).queued === 2, 5000);
    const stats = await s.stats();
    assert.ok(seen, `expected 2 connections in the accept queue, stats say ${JSON.stringify(stats)}`);
    assert.is(stats.busy, 1);
    assert.is(listenQueue(s.port)?.waiting, 2);
    await Promise.all(pending);
    assert.is((await s.stats()).queued, 0);
  });
});

test("a client that gives up does not free its worker: the request runs to its end", async () => {
  await withServer({ workers: 1, delayMs: 400 }, async (s) => {
    const leaver = new AbortController();
    const left = get(`${s.url}/?who=leaver`, { signal: leaver.signal }).catch((e: Error) => e);
    await waitUntil(async () => (await s.stats()).busy === 1, 5000);
    const next = get(`${s.url}/?who=next`);
    leaver.abort();
    assert.instance(await left, Error);
    const abortedAt = now();
    assert.is((await next).status, 200);
    const records = await s.requests();
    const gone = byPath(records, "leaver");
    const served = byPath(records, "next");
    assert.is(gone.outcome, "served", "the server never noticed");
    assert.is(gone.status, 200);
    assert.ok(gone.end > abortedAt, "it was still held after the client had left");
    assert.ok(served.start! >= gone.end, "the next request got the worker only when the abandoned one was done");
    assert.is((await s.stats()).outcomes["client-gone"], 0);
  });
});

test("a connection whose client left while waiting in the backlog is still accepted and served", async () => {
  await withServer({ workers: 1, delayMs: 300 }, async (s) => {
    const first = get(`${s.url}/?who=first`);
    await waitUntil(async () => (await s.stats()).busy === 1, 5000);
    const leaver = new AbortController();
    const left = get(`${s.url}/?who=leaver`, { signal: leaver.signal }).catch((e: Error) => e);
    await waitUntil(async () => (await s.stats()).queued === 1, 5000);
    leaver.abort();
    await left;
    await first;
    await waitUntil(async () => (await s.requests()).length === 2, 5000);
    const gone = byPath(await s.requests(), "leaver");
    assert.is(gone.outcome, "served");
    assert.ok(gone.end - gone.start! >= 300 - 1, "it held the worker for the whole delay");
  });
});

test("never answers 503: a full backlog is the kernel's business", async () => {
  await withServer({ workers: 1, delayMs: 100, queueLimit: 1 }, async (s) => {
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => get(`${s.url}/?i=${i}`, { signal: AbortSignal.timeout(8000) }).then((r) => r.status, () => "failed")),
    );
    assert.not.ok(outcomes.includes(503), `statuses: ${outcomes.join(", ")}`);
    for (const o of outcomes) assert.ok(o === 200 || o === "failed");
    assert.is((await s.stats()).outcomes.rejected, 0);
  });
});

test("statsUrl answers while every worker is busy; /stats on the server's port waits for a worker", async () => {
  await withServer({ workers: 1, delayMs: 0 }, async (s) => {
    let slowDone = 0;
    const slow = get(`${s.url}/delay/1500?busy`).then((r) => ((slowDone = now()), r));
    await waitUntil(async () => (await s.stats()).busy === 1, 5000);
    const control = await fetch(s.statsUrl);
    const stats = (await control.json()) as { busy: number; workerClass: string };
    const controlDone = now();
    assert.is(stats.busy, 1);
    assert.is(stats.workerClass, "sync");
    const queued = get(`${s.url}/stats`).then((r) => ({ ...r, json: JSON.parse(r.body.toString()) }));
    const viaWorker = await queued;
    await slow;
    assert.ok(controlDone < slowDone, "the control port answered before the worker was free");
    assert.ok(viaWorker.doneAt >= slowDone, "the worker's /stats came after the busy request");
    assert.is(viaWorker.json.workerClass, "sync");
  });
});

test("a dead worker is replaced, and the server keeps serving", async () => {
  await withServer({ workers: 2, delayMs: 0 }, async (s) => {
    const victim = s.workerPids[0];
    process.kill(victim, "SIGKILL");
    assert.ok(await waitUntil(async () => {
      const pids = (await s.stats()).pids;
      return pids.length === 2 && !pids.includes(victim);
    }, 5000), "a new worker took its place");
    const r = await get(`${s.url}/`);
    assert.is(r.status, 200);
  });
});

test("images: a sync worker encodes its image itself; the other workers keep serving", async () => {
  await withServer({ workers: 2, delayMs: 0 }, async (s) => {
    const image = get(`${s.url}/image/2048.png`);
    await waitUntil(async () => (await s.stats()).busy === 1, 5000);
    const plain = await get(`${s.url}/?plain`);
    const img = await image;
    assert.is(img.headers.get("content-type"), "image/png");
    assert.ok(plain.doneAt < img.doneAt, "the plain request was served by the other worker during the encode");
    const records = await s.requests();
    assert.is.not(byPath(records, "plain").pid, byPath(records, ".png").pid);
  });
});

test("close() stops the main process and every worker", async () => {
  const s = await startSlowServer({ workers: 3, delayMs: 0 });
  const pids = [s.pid, ...s.workerPids];
  assert.ok(pids.every(alive));
  await s.close();
  assert.ok(await waitUntil(() => !pids.some(alive), 3000), `still alive: ${pids.filter(alive).join(", ")}`);
});

test("a worker busy with a long request exits soon after its main process is killed", async () => {
  const s = await startSlowServer({ workers: 1, delayMs: 0 });
  const [worker] = s.workerPids;
  const pending = get(`${s.url}/delay/20000`).catch((e: Error) => e);
  await waitUntil(async () => (await s.stats()).busy === 1, 5000);
  process.kill(s.pid, "SIGKILL"); // like the server's parent dying with it
  assert.ok(await waitUntil(() => !alive(worker), 3000), "the blocked worker noticed its parent had gone");
  await pending;
  await s.close();
  await sleep(0);
});

test.run();
