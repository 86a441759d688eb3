import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import * as jpeg from "jpeg-js";
import { blockingSleep, now, sleep, startSlowServer, type SlowServer, type SlowServerRecord } from "concurrency-lab";

const DELAY = 100;

/** Runs `body` against a fresh server and always closes it. */
async function withServer(options: Parameters<typeof startSlowServer>[0], body: (s: SlowServer) => Promise<void>) {
  const server = await startSlowServer(options);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

async function get(url: string, signal?: AbortSignal) {
  const res = await fetch(url, { signal });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

/** Most records whose [start, end) intervals overlap at one instant. */
function maxOverlap(records: SlowServerRecord[]): number {
  const edges = records
    .filter((r) => r.start !== null)
    .flatMap((r) => [
      { t: r.start!, d: +1 },
      { t: r.end, d: -1 },
    ])
    .sort((a, b) => a.t - b.t || a.d - b.d); // an end at the same instant as a start counts first
  let open = 0;
  let max = 0;
  for (const e of edges) max = Math.max(max, (open += e.d));
  return max;
}

/** Asserts that `fn` rejects with a message matching `pattern`. */
async function rejects(fn: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  const outcome = await fn().then(
    () => undefined,
    (err: Error) => err,
  );
  assert.instance(outcome, Error, `expected a rejection matching ${pattern}`);
  assert.match(outcome!.message, pattern);
}

/** True while `pid` runs. A zombie (exited, not yet reaped by an orphan-adopting init) counts as gone. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true; // no /proc (not Linux): kill(pid, 0) is all we can tell
  }
}

async function waitUntil(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = now() + ms;
  while (now() < deadline) {
    if (condition()) return true;
    await sleep(20);
  }
  return condition();
}

test("never serves more than `workers` requests at once", async () => {
  await withServer({ workers: 3, delayMs: DELAY }, async (s) => {
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => get(`${s.url}/?i=${i}`)));
    assert.ok(responses.every((r) => r.status === 200));
    const records = await s.requests();
    assert.is(records.length, 12);
    assert.is(maxOverlap(records), 3);
    assert.is((await s.stats()).maxBusy, 3);
    const workers = new Set(responses.map((r) => r.headers.get("x-worker")));
    assert.equal([...workers].sort(), ["1", "2", "3"]);
  });
});

test("9 requests against 3 workers wait 0,0,0,1,1,1,2,2,2 delays in the FIFO queue", async () => {
  await withServer({ workers: 3, delayMs: DELAY }, async (s) => {
    const responses = await Promise.all(Array.from({ length: 9 }, (_, i) => get(`${s.url}/?i=${i}`)));
    const records = (await s.requests()).sort((a, b) => a.arrival - b.arrival);
    const inDelays = records.map((r) => r.queueWait / DELAY);
    [0, 0, 0, 1, 1, 1, 2, 2, 2].forEach((expected, i) => {
      assert.ok(Math.abs(inDelays[i] - expected) < 0.4, `request ${i} waited ${inDelays[i].toFixed(2)} delays, expected ${expected}`);
    });
    // FIFO: service starts in arrival order.
    const starts = records.map((r) => r.start!);
    assert.equal(starts, [...starts].sort((a, b) => a - b));
    // The header tells the client the same wait the record holds.
    const headerWaits = responses.map((r) => Number(r.headers.get("x-queue-wait-ms"))).sort((a, b) => a - b);
    const recordWaits = records.map((r) => r.queueWait).sort((a, b) => a - b);
    headerWaits.forEach((w, i) => assert.ok(Math.abs(w - recordWaits[i]) < 1));
  });
});

test("every bad input gets its status code and a message", async () => {
  await withServer({ workers: 2, delayMs: 0 }, async (s) => {
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
    const outcomes = (await s.stats()).outcomes;
    assert.is(outcomes.invalid, 13); // refused at once, without a worker slot
    assert.is(outcomes.served, 3);
  });
});

test("a full queue answers 503 at once", async () => {
  await withServer({ workers: 1, delayMs: 300, queueLimit: 1 }, async (s) => {
    const served = get(`${s.url}/?i=0`);
    await sleep(50);
    const queued = get(`${s.url}/?i=1`);
    await sleep(50);
    const t0 = now();
    const refused = await get(`${s.url}/?i=2`);
    assert.is(refused.status, 503);
    assert.ok(now() - t0 < 150, "503 must not wait for a worker");
    assert.match(refused.body.toString(), /queue full/);
    assert.is((await served).status, 200);
    assert.is((await queued).status, 200);
    const outcomes = (await s.stats()).outcomes;
    assert.equal([outcomes.served, outcomes.rejected], [2, 1]);
  });
});

test("a client that leaves while queued frees its place in the queue", async () => {
  await withServer({ workers: 1, delayMs: 300 }, async (s) => {
    const first = get(`${s.url}/?who=first`);
    await sleep(30);
    const leaver = new AbortController();
    const left = get(`${s.url}/?who=leaver`, leaver.signal).catch((e: Error) => e);
    await sleep(30);
    const last = get(`${s.url}/?who=last`);
    await sleep(30);
    leaver.abort();
    assert.instance(await left, Error);
    await Promise.all([first, last]);
    const records = await s.requests();
    const byWho = (who: string) => records.find((r) => r.path.endsWith(who))!;
    assert.is(byWho("leaver").outcome, "client-gone");
    assert.is(byWho("leaver").worker, null);
    // "last" waited for "first" only (~270 ms), not also for the 300 ms "leaver" would have taken.
    assert.ok(byWho("last").queueWait < 300 + 100, `last waited ${byWho("last").queueWait} ms`);
  });
});

test("a client that leaves while being served frees its worker", async () => {
  await withServer({ workers: 1, delayMs: 400 }, async (s) => {
    const leaver = new AbortController();
    const left = get(`${s.url}/?who=leaver`, leaver.signal).catch((e: Error) => e);
    await sleep(50);
    const next = get(`${s.url}/?who=next`);
    await sleep(50);
    leaver.abort();
    await left;
    const r = await next;
    assert.is(r.status, 200);
    const records = await s.requests();
    const gone = records.find((x) => x.path.endsWith("leaver"))!;
    const served = records.find((x) => x.path.endsWith("next"))!;
    assert.is(gone.outcome, "client-gone");
    assert.is(gone.worker, 1);
    assert.ok(served.queueWait < 200, `next waited ${served.queueWait} ms; the slot should be freed at the abort (~50 ms)`);
  });
});

test("keeps serving while this process's event loop is blocked", async () => {
  await withServer({ workers: 3, delayMs: DELAY }, async (s) => {
    const pending = Promise.all([0, 1, 2].map((i) => get(`${s.url}/?i=${i}`)));
    await sleep(50); // let the requests reach the server
    blockingSleep(300); // the notebook cell that freezes its event loop
    const unblocked = now();
    await pending;
    const records = await s.requests();
    assert.is(records.length, 3);
    for (const r of records) assert.ok(r.end < unblocked, "served while the client process was blocked");
  });
});

test("serves deterministic PNG and JPEG images of the requested size", async () => {
  await withServer({ workers: 2, delayMs: 0 }, async (s) => {
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

test("records, stats and reset travel over IPC", async () => {
  await withServer({ workers: 2, delayMs: 20 }, async (s) => {
    await get(`${s.url}/json`);
    const [record] = await s.requests();
    assert.is(record.path, "/json");
    assert.is(record.status, 200);
    assert.is(record.outcome, "served");
    assert.ok(record.arrival <= record.start! && record.start! < record.end);
    assert.ok(record.end - record.start! >= 19);
    await s.reset();
    assert.equal(await s.requests(), []);
    assert.is((await s.stats()).outcomes.served, 0);
  });
});

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
});

test("a port already in use fails with an error naming the port", async () => {
  await withServer({}, async (s) => {
    await rejects(() => startSlowServer({ port: s.port }), new RegExp(`port ${s.port} is already in use`));
  });
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
     startSlowServer({ delayMs: 0 }).then((s) => console.log("server pid " + s.pid));`,
  );
  const parent = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    let out = "";
    const serverPid = await new Promise<number>((resolve, reject) => {
      parent.stdout.on("data", (d) => {
        const m = (out += String(d)).match(/server pid (\d+)/);
        if (m) resolve(Number(m[1]));
      });
      parent.once("exit", () => reject(new Error(`parent exited early; its output: ${out}`)));
    });
    assert.ok(alive(serverPid), `server child ${serverPid} should be running`);
    parent.kill("SIGKILL"); // like a notebook kernel restart
    assert.ok(await waitUntil(() => !alive(serverPid), 3000), "server child outlived its parent");
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

test.run();
