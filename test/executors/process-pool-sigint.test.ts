// What SIGINT does to a ProcessPoolExecutor. Jupyter's interrupt (and Ctrl-C) signals the kernel's whole
// process group; the fixture runs in a group of its own, and the test signals that group the same way.
import { spawn } from "node:child_process";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { isAlive } from "./executor-process-helpers";

const test = suite("ProcessPoolExecutor and SIGINT");
const fixture = path.join(__dirname, "sigint-fixture.js");

interface Run {
  messages: Record<string, any>[];
  next(event: string): Promise<Record<string, any>>;
  exit: Promise<[number | null, NodeJS.Signals | null]>;
  group: number;
}

function start(mode: "kernel" | "plain"): Run {
  const child = spawn(process.execPath, [fixture, mode], { detached: true, stdio: ["ignore", "pipe", "inherit"] });
  const messages: Record<string, any>[] = [];
  const waiters: (() => void)[] = [];
  let buffered = "";
  child.stdout!.on("data", (chunk) => {
    buffered += chunk;
    for (let i; (i = buffered.indexOf("\n")) >= 0; ) {
      messages.push(JSON.parse(buffered.slice(0, i)));
      buffered = buffered.slice(i + 1);
      waiters.splice(0).forEach((w) => w());
    }
  });
  const exit = new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on("exit", (c, s) => r([c, s])));
  exit.then(() => waiters.splice(0).forEach((w) => w()));
  let exited = false;
  exit.then(() => (exited = true));
  const next = (event: string) =>
    new Promise<Record<string, any>>((resolve, reject) => {
      const check = () => {
        const found = messages.find((m) => m.event === event);
        if (found) return resolve(found);
        if (exited) return reject(new Error(`the fixture exited before "${event}": ${JSON.stringify(messages)}`));
        waiters.push(check);
      };
      check();
    });
  return { messages, next, exit, group: child.pid! };
}

async function gone(pids: number[]): Promise<number[]> {
  // Poll until the processes are gone, giving up after 5 s (a failure bound, not a timing claim).
  for (let i = 0; i < 100 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 50));
  return pids.filter(isAlive);
}

test("in a kernel: running tasks fail clearly, waiting ones are cancelled, idle children survive, the pool serves on", async () => {
  const run = start("kernel");
  try {
    const { before } = await run.next("ready");
    process.kill(-run.group, "SIGINT");
    const { results, after, next } = await run.next("after");
    const running = [...results.busy.slice(0, 2), results.half];
    for (const r of running) {
      assert.is(r.name, "TaskAbortedError", JSON.stringify(r));
      assert.match(r.message, /blockingSleep was aborted while running on pid \d+ \(the process got SIGINT/);
    }
    for (const r of results.busy.slice(2)) {
      assert.is(r.name, "CancelledError", JSON.stringify(r));
      assert.match(r.message, /cancelled before it started: the process got SIGINT/);
    }
    // The half-busy pool keeps its idle child; each stopped child was replaced.
    const kept = (before.half as number[]).filter((p) => (after.half as number[]).includes(p));
    assert.is(kept.length, 1, `one of ${before.half} should survive; after: ${after.half}`);
    assert.is(after.half.length, 2);
    assert.is((before.busy as number[]).filter((p) => (after.busy as number[]).includes(p)).length, 0);
    assert.is(after.busy.length, 2, `both stopped children of the busy pool were replaced: ${after.busy}`);
    assert.equal(next, { ok: true, value: [[1, 2], [3, 4]] }, "both pools still serve");
    assert.ok(run.messages.some((m) => m.event === "kernel saw SIGINT"), "the kernel's own handler still ran");
    const [code] = await run.exit;
    assert.is(code, 0);
    const all = [...before.busy, ...before.half, ...after.busy, ...after.half];
    assert.equal(await gone(all), []);
  } finally {
    try {
      process.kill(-run.group, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

test("in a plain script: the process dies of SIGINT as usual, and its children with it", async () => {
  const run = start("plain");
  try {
    const { before } = await run.next("ready");
    process.kill(-run.group, "SIGINT");
    const [, signal] = await run.exit;
    assert.is(signal, "SIGINT");
    assert.equal(await gone([...before.busy, ...before.half]), []);
  } finally {
    try {
      process.kill(-run.group, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

test.run();
