/**
 * The slow server: what both worker classes share (routes, records, options,
 * processes, the CLI) and the async class's own behaviour (in-process queue,
 * 503, disconnect detection, images off the event loop). The sync class has
 * its own file. Assertions are structural, never wall-clock bounds.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import * as jpeg from "jpeg-js";
import { blockingSleep, now, startSlowServer, type SlowServerWorkerClass } from "concurrency-lab";
import { alive, byPath, get, maxOverlap, rejects, waitUntil, withServer } from "./slow-server-helpers";

const DELAY = 100;
const CLASSES: SlowServerWorkerClass[] = ["sync", "async"];

test("async: never serves more than `workers` requests at once, in one process", async () => {
  await withServer({ workerClass: "async", workers: 3, delayMs: DELAY }, async (s) => {
    assert.equal(s.workerPids, [s.pid]);
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => get(`${s.url}/?i=${i}`)));
    assert.ok(responses.every((r) => r.status === 200));
    const records = await s.requests();
    assert.is(records.length, 12);
    assert.is(maxOverlap(records), 3);
    assert.is((await s.stats()).maxBusy, 3);
    const workers = new Set(responses.map((r) => r.headers.get("x-worker")));
    assert.equal([...workers].sort(), ["1", "2", "3"]);
    assert.ok(records.every((r) => r.pid === s.pid));
  });
});

test("async: 9 requests against 3 workers are served first come, first served from the in-process queue", async () => {
  await withServer({ workerClass: "async", workers: 3, delayMs: DELAY }, async (s) => {
    const responses = await Promise.all(Array.from({ length: 9 }, (_, i) => get(`${s.url}/?i=${i}`)));
    const records = (await s.requests()).sort((a, b) => a.arrival - b.arrival);
    // FIFO: service starts in arrival order, and a request starts only when an earlier one has ended.
    const starts = records.map((r) => r.start!);
    assert.equal(starts, [...starts].sort((a, b) => a - b));
    const ends = records.map((r) => r.end).sort((a, b) => a - b);
    records.slice(3).forEach((r, i) => assert.ok(r.start! >= ends[i], `request ${i + 4} started before a worker was free`));
    assert.is((await s.stats()).maxQueued, 6);
    // The header tells the client the same wait the record holds.
    const headerWaits = responses.map((r) => Number(r.headers.get("x-queue-wait-ms"))).sort((a, b) => a - b);
    const recordWaits = records.map((r) => r.queueWait).sort((a, b) => a - b);
    headerWaits.forEach((w, i) => assert.ok(Math.abs(w - recordWaits[i]) < 1));
  });
});

for (const workerClass of CLASSES) {
  test(`${workerClass}: every bad input gets its status code and a message`, async () => {
    await withServer({ workerClass, workers: 2, delayMs: 0 }, async (s) => {
      const cases: Array<[string, number, RegExp]> = [
        ["/delay/abc", 400, /delay ms must be a whole number/],
        ["/delay/-5", 400, /delay ms/],
        ["/delay/60001", 400, /from 0 to 60000/],
        ["/delay/", 400, /delay ms/],
        ["/status/99", 400, /status code must be/],
        ["/status/600", 400, /status code/],
        ["/status/x", 400, /status code/],
        ["/image/0.png", 400, /image size must be/],
        ["/image/4096.png", 400, /image size/],
        ["/image/10.gif", 400, /image format must be png or jpeg/],
        ["/rate/0", 400, /rate limit/],
        ["/nowhere", 404, /no route for \/nowhere/],
        ["/delay/1/2", 404, /no route/],
        ["/status/503", 503, /Service Unavailable/],
        ["/status/418", 418, /Teapot/i],
        ["/delay/5", 200, /slept 5 ms/],
      ];
      for (const [path, status, message] of cases) {
        const r = await get(s.url + path);
        assert.is(r.status, status, path);
        assert.match(r.body.toString(), message, path);
      }
      const post = await fetch(s.url + "/", { method: "POST" });
      assert.is(post.status, 405);
      assert.is(post.headers.get("allow"), "GET, HEAD");
      await post.text();
      await waitUntil(async () => (await s.requests()).length === cases.length + 1, 2000);
      const outcomes = (await s.stats()).outcomes;
      assert.is(outcomes.invalid, 14); // refused at once, without holding a worker for any delay
      assert.is(outcomes.served, 3);
    });
  });

  test(`${workerClass}: /rate/:n lets n requests through per one-second window and answers 429 with Retry-After`, async () => {
    await withServer({ workerClass, workers: 3, delayMs: 1000 }, async (s) => {
      assert.is(s.rateUrl(2), `${s.url}/rate/2`);
      const responses = await Promise.all(Array.from({ length: 6 }, () => get(s.rateUrl(2))));
      const records = await s.requests();
      const windows = new Map<number, number>();
      for (const r of records) if (r.status === 200) windows.set(Math.floor(r.start! / 1000), (windows.get(Math.floor(r.start! / 1000)) ?? 0) + 1);
      for (const [w, allowed] of windows) assert.ok(allowed <= 2, `window ${w} let ${allowed} through`);
      const touched = new Set(records.map((r) => Math.floor(r.start! / 1000))).size;
      const limited = responses.filter((r) => r.status === 429);
      assert.ok(limited.length >= 6 - 2 * touched, `${limited.length} refused over ${touched} window(s)`);
      for (const r of limited) {
        assert.ok(Number(r.headers.get("retry-after")) >= 1, "Retry-After is a whole number of seconds >= 1");
        const ms = Number(r.headers.get("x-retry-after-ms"));
        assert.ok(ms >= 0 && ms <= 1000);
        assert.is(r.headers.get("x-ratelimit-limit"), "2");
      }
      assert.is((await s.stats()).outcomes.limited, limited.length);
      assert.ok(records.every((r) => r.end - r.start! < 1000), "the rate endpoint does not hold a worker for the delay");
      await s.reset();
      const fresh = await get(s.rateUrl(2));
      assert.is(fresh.status, 200, "reset() clears the rate windows");
    });
  });

  test(`${workerClass}: serves deterministic PNG and JPEG images of the requested size`, async () => {
    await withServer({ workerClass, workers: 2, delayMs: 0 }, async (s) => {
      const png = await get(`${s.url}/image/32.png`);
      assert.is(png.headers.get("content-type"), "image/png");
      const decoded = PNG.sync.read(png.body);
      assert.equal([decoded.width, decoded.height], [32, 32]);
      const again = await get(`${s.url}/image/32.png`);
      assert.ok(png.body.equals(again.body), "same bytes every time");
      const jpg = await get(`${s.url}/image/48.jpeg`);
      assert.is(jpg.headers.get("content-type"), "image/jpeg");
      const raw = jpeg.decode(jpg.body);
      assert.equal([raw.width, raw.height], [48, 48]);
    });
  });

  test(`${workerClass}: keeps serving while this process's event loop is blocked`, async () => {
    await withServer({ workerClass, workers: 3, delayMs: DELAY }, async (s) => {
      const pending = Promise.all([0, 1, 2].map((i) => get(`${s.url}/?i=${i}`)));
      await waitUntil(async () => (await s.stats()).busy === 3, 5000); // the requests have reached the server
      blockingSleep(300); // the notebook cell that freezes its event loop
      const unblocked = now();
      await pending;
      const records = await s.requests();
      assert.is(records.length, 3);
      for (const r of records) assert.ok(r.end < unblocked, "served while the client process was blocked");
    });
  });
}

test("async: a full queue answers 503 at once, without a worker", async () => {
  await withServer({ workerClass: "async", workers: 1, delayMs: 300, queueLimit: 1 }, async (s) => {
    const served = get(`${s.url}/?i=0`);
    await waitUntil(async () => (await s.stats()).busy === 1, 5000);
    const queued = get(`${s.url}/?i=1`);
    await waitUntil(async () => (await s.stats()).queued === 1, 5000);
    const refused = await get(`${s.url}/?i=2`);
    assert.is(refused.status, 503);
    assert.is(refused.headers.get("retry-after"), "1");
    assert.match(refused.body.toString(), /queue full/);
    assert.is((await served).status, 200);
    assert.is((await queued).status, 200);
    const records = await s.requests();
    assert.is(byPath(records, "i=2").start, null, "the refused request never got a worker");
    assert.ok(refused.doneAt < byPath(records, "i=0").end, "503 came before the first request was done");
    const outcomes = (await s.stats()).outcomes;
    assert.equal([outcomes.served, outcomes.rejected], [2, 1]);
  });
});

test("async: a client that leaves while queued loses its place in the queue", async () => {
  await withServer({ workerClass: "async", workers: 1, delayMs: 300 }, async (s) => {
    const first = get(`${s.url}/?who=first`);
    await waitUntil(async () => (await s.stats()).busy === 1, 5000);
    const leaver = new AbortController();
    const left = get(`${s.url}/?who=leaver`, { signal: leaver.signal }).catch((e: Error) => e);
    await waitUntil(async () => (await s.stats()).queued === 1, 5000);
    const last = get(`${s.url}/?who=last`);
    await waitUntil(async () => (await s.stats()).queued === 2, 5000);
    leaver.abort();
    assert.instance(await left, Error);
    await Promise.all([first, last]);
    const records = await s.requests();
    assert.is(byPath(records, "leaver").outcome, "client-gone");
    assert.is(byPath(records, "leaver").worker, null);
    assert.ok(byPath(records, "last").start! >= byPath(records, "first").end, "last was served right after first");
    assert.ok(byPath(records, "last").start! < byPath(records, "first").end + 300, "not after a 300 ms turn for the leaver");
  });
});

test("async: a client that leaves while being served frees its worker at once", async () => {
  await withServer({ workerClass: "async", workers: 1, delayMs: 3000 }, async (s) => {
    const leaver = new AbortController();
    const left = get(`${s.url}/?who=leaver`, { signal: leaver.signal }).catch((e: Error) => e);
    await waitUntil(async () => (await s.stats()).busy === 1, 5000);
    const next = get(`${s.url}/delay/0?who=next`);
    await waitUntil(async () => (await s.stats()).queued === 1, 5000);
    leaver.abort();
    await left;
    assert.is((await next).status, 200);
    const records = await s.requests();
    const gone = byPath(records, "leaver");
    const served = byPath(records, "next");
    assert.is(gone.outcome, "client-gone");
    assert.is(gone.worker, 1);
    assert.ok(gone.end < gone.start! + 3000, "its handler was stopped before its delay was over");
    assert.ok(served.start! >= gone.end && served.start! < gone.start! + 3000, "next got the worker when the leaver's handler stopped");
  });
});

test("async: /stats and plain requests are answered while a large image is encoded", async () => {
  await withServer({ workerClass: "async", workers: 3, delayMs: 0 }, async (s) => {
    const image = get(`${s.url}/image/2048.png`);
    await waitUntil(async () => (await s.stats()).busy === 1, 5000);
    const stats = await fetch(`${s.url}/stats`);
    const statsDone = now();
    assert.is(((await stats.json()) as { busy: number }).busy, 1, "stats answered while the encode was in progress");
    const plain = await get(`${s.url}/delay/0?plain`);
    const img = await image;
    assert.is(img.status, 200);
    assert.ok(statsDone < img.doneAt, "/stats did not wait for the encode");
    assert.ok(plain.doneAt < img.doneAt, "a plain request did not wait for the encode");
  });
});

for (const workerClass of CLASSES) {
  test(`${workerClass}: records, stats and reset travel over IPC`, async () => {
    await withServer({ workerClass, workers: 2, delayMs: 20 }, async (s) => {
      const r = await get(`${s.url}/json`);
      const [record] = await s.requests();
      assert.is(record.path, "/json");
      assert.is(record.status, 200);
      assert.is(record.outcome, "served");
      assert.is(JSON.parse(r.body.toString()).id, record.id);
      assert.is(r.headers.get("x-request-id"), String(record.id));
      assert.ok(record.sent !== null && record.sent <= record.start! && record.start! < record.end);
      assert.ok(record.end - record.start! >= 19, "held for the delay");
      assert.ok(s.workerPids.includes(record.pid!));
      await s.reset();
      assert.equal(await s.requests(), []);
      assert.is((await s.stats()).outcomes.served, 0);
    });
  });

  test(`${workerClass}: a port already in use fails with an error naming the port`, async () => {
    await withServer({ workerClass: "async" }, async (s) => {
      await rejects(() => startSlowServer({ workerClass, port: s.port }), new RegExp(`port ${s.port} is already in use`));
    });
  });
}

test("onRequest streams each finished record to the parent", async () => {
  const seen: string[] = [];
  await withServer({ workers: 1, delayMs: 0, onRequest: (r) => seen.push(`${r.status} ${r.path}`) }, async (s) => {
    await get(`${s.url}/`);
    await get(`${s.url}/missing`);
    await waitUntil(() => seen.length === 2, 1000);
  });
  assert.equal(seen, ["200 /", "404 /missing"]);
});

test("bad options throw errors that name them", async () => {
  await rejects(() => startSlowServer({ workers: 0 }), /workers must be from 1/);
  await rejects(() => startSlowServer({ delayMs: 1.5 }), /delayMs must be an integer/);
  await rejects(() => startSlowServer({ delayMs: 60_001 }), /delayMs must be from 0 to 60000/);
  await rejects(() => startSlowServer({ port: 70000 }), /port must be from 0 to 65535/);
  await rejects(() => startSlowServer({ workerClass: "gevent" as never }), /workerClass must be "sync" or "async"/);
  await rejects(() => startSlowServer({ workers: 65 }), /workers must be from 1 to 64.*workerClass "async"/);
  await rejects(() => startSlowServer({ workerClass: "sync", queueLimit: 0 }), /queueLimit must be from 1/);
});

test("close() is idempotent, leaves no process, and later calls fail clearly", async () => {
  const s = await startSlowServer({ delayMs: 0 });
  assert.ok(alive(s.pid));
  await Promise.all([s.close(), s.close()]);
  await s.close();
  assert.not.ok(alive(s.pid));
  await rejects(() => s.requests(), /closed/);
});

test("the server process exits when its parent is killed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "slow-server-"));
  const script = join(dir, "parent.js");
  writeFileSync(
    script,
    `const { startSlowServer } = require(${JSON.stringify(require.resolve("concurrency-lab"))});
     startSlowServer({ delayMs: 0 }).then((s) => console.log("server pids " + [s.pid, ...s.workerPids].join(",")));`,
  );
  const parent = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    let out = "";
    const serverPids = await new Promise<number[]>((resolve, reject) => {
      parent.stdout.on("data", (d) => {
        const m = (out += String(d)).match(/server pids ([\d,]+)\n/);
        if (m) resolve(m[1].split(",").map(Number));
      });
      parent.once("exit", () => reject(new Error(`parent exited early; its output: ${out}`)));
    });
    assert.is(serverPids.length, 4, "the main process and three workers");
    assert.ok(serverPids.every(alive), "the server's processes should be running");
    parent.kill("SIGKILL"); // like a notebook kernel restart
    assert.ok(await waitUntil(() => !serverPids.some(alive), 3000), "a server process outlived its parent");
  } finally {
    parent.kill("SIGKILL");
  }
});

test("the CLI prints its URL, logs one line per request and exits cleanly on SIGINT", async () => {
  const cli = spawn(process.execPath, [require.resolve("concurrency-lab/dist/cli/slow-server"), "--port", "0", "--delay", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    let out = "";
    cli.stdout.on("data", (d) => (out += String(d)));
    assert.ok(await waitUntil(() => /http:\/\/127\.0\.0\.1:\d+/.test(out), 5000), `no URL printed: ${out}`);
    const url = out.match(/http:\/\/127\.0\.0\.1:\d+/)![0];
    await get(`${url}/status/404`);
    assert.ok(await waitUntil(() => /GET \/status\/404\s+404/.test(out), 2000), `no log line: ${out}`);
    const exited = new Promise<number | null>((resolve) => cli.once("exit", (code) => resolve(code)));
    cli.kill("SIGINT");
    assert.is(await exited, 0);
    await rejects(() => get(url), /fetch failed/); // its server process is gone too
  } finally {
    cli.kill("SIGKILL");
  }
});

test("the CLI's --worker-class picks the class: async keeps connections alive in one process, sync closes them; a bad class is refused", async () => {
  const cliPath = require.resolve("concurrency-lab/dist/cli/slow-server");
  for (const workerClass of CLASSES) {
    const cli = spawn(process.execPath, [cliPath, "--port", "0", "--delay", "0", "--worker-class", workerClass], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      let out = "";
      cli.stdout.on("data", (d) => (out += String(d)));
      assert.ok(await waitUntil(() => /http:\/\/127\.0\.0\.1:\d+/.test(out), 5000), `no URL printed: ${out}`);
      assert.match(out, new RegExp(`3 ${workerClass} workers`));
      const url = out.match(/http:\/\/127\.0\.0\.1:\d+/)![0];
      const [a, b] = [await get(`${url}/?n=1`), await get(`${url}/?n=2`)];
      const connection = a.headers.get("connection");
      if (workerClass === "sync") {
        assert.is(connection, "close", "gunicorn's sync worker closes every connection");
      } else {
        assert.is.not(connection, "close", "the async class keeps connections alive");
        assert.is(a.headers.get("x-worker-pid"), b.headers.get("x-worker-pid"), "async: one process serves all");
      }
      const exited = new Promise<number | null>((resolve) => cli.once("exit", (code) => resolve(code)));
      cli.kill("SIGINT");
      assert.is(await exited, 0);
    } finally {
      cli.kill("SIGKILL");
    }
  }
  const bad = spawn(process.execPath, [cliPath, "--port", "0", "--worker-class", "gevent"], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  bad.stderr.on("data", (d) => (err += String(d)));
  const code = await new Promise<number | null>((resolve) => bad.once("exit", (c) => resolve(c)));
  assert.is(code, 1);
  assert.match(err, /--worker-class must be sync or async, got "gevent"/);
  assert.match(err, /usage: npm run slow-server/);
});

test.run();
