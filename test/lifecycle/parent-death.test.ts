// Children exit when their parent dies, however it dies. A stand-in parent (a plain node process, like
// the kernel) starts the lib's children in every way a notebook does; the test kills it and checks
// that none of its descendants is left.
import { execFileSync, spawn } from "node:child_process";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parentDeathSignalAvailable, startCli, tieToParent } from "concurrency-lab";
import { isAlive } from "../executors/executor-process-helpers";

const test = suite("children exit with their parent");
const lib = require.resolve("concurrency-lab");
const cli = require.resolve("concurrency-lab/dist/cli/slow-server.js");

/** Every descendant of `pid` (from ps), deepest last. */
function descendants(pid: number): number[] {
  const rows = execFileSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  for (let frontier = [pid]; frontier.length > 0; ) {
    const next = rows.filter(([, ppid]) => frontier.includes(ppid!)).map(([p]) => p!);
    found.push(...next);
    frontier = next;
  }
  return found;
}

async function gone(pids: number[]): Promise<number[]> {
  // Poll until they are gone; give up after 5 s (a failure bound, not a timing claim).
  for (let i = 0; i < 100 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 50));
  return pids.filter(isAlive);
}

/** A parent that starts `starts` (code using L = the lib, cli = the slow-server CLI path), says "up", and waits. */
async function parentWith(starts: string): Promise<{ pid: number; kill: (signal: NodeJS.Signals) => void }> {
  const script = `const L = require(${JSON.stringify(lib)}); const cp = require("node:child_process");
    const cli = ${JSON.stringify(cli)};
    (async () => { ${starts}; console.log("up"); setInterval(() => {}, 1000); })()
      .catch((e) => { console.error(e); process.exit(1); });`;
  const parent = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    parent.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("up")) resolve();
    });
    parent.once("exit", (code) => reject(new Error(`the parent exited early (code ${code})`)));
  });
  return { pid: parent.pid!, kill: (signal) => parent.kill(signal) };
}

// The CLI prints its URL once its server child listens; wait for that inside the parent.
const waitForUrl = (name: string) =>
  `await new Promise((r) => { let o = ""; ${name}.stdout.on("data", (d) => { o += d; if (/http:/.test(o)) r(); }); })`;

for (const signal of ["SIGKILL", "SIGTERM"] as const) {
  test(`${signal}: CLIs started with startCli, a bare spawn (stdin a pipe), a bare spawn (stdin ignored) and a busy pool`, async () => {
    const parent = await parentWith(`
      const safe = L.startCli("slow-server", ["--port", "0"]);
      await safe.waitForOutput(/http:/);
      const piped = cp.spawn(process.execPath, [cli, "--port", "0"], { stdio: ["pipe", "pipe", "inherit"] });
      ${waitForUrl("piped")};
      const ignored = cp.spawn(process.execPath, [cli, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
      ${waitForUrl("ignored")};
      const server = await L.startSlowServer({ delayMs: 0 });
      const pool = new L.ProcessPoolExecutor({ maxWorkers: 2 });
      await pool.mapAll(L.tasks.echo, [1, 2]);
      pool.submit(L.tasks.blockingSleep, 30000); // one child busy in a synchronous loop
      await new Promise((r) => setTimeout(r, 200));`);
    const kids = descendants(parent.pid);
    // 3 CLIs with a server child each, a slow server, 2 pool children.
    assert.ok(kids.length >= 9, `expected at least 9 descendants, found ${kids.length}`);
    parent.kill(signal);
    assert.equal(await gone(kids), [], `left alive after ${signal}`);
  });
}

test("a pool child busy in a 30 s synchronous task dies with its parent, not after the task", async () => {
  if (!parentDeathSignalAvailable()) {
    console.log("  (no setpriv --pdeathsig here: a busy child leaves only when its task ends; not checked)");
    return;
  }
  const parent = await parentWith(`
    const pool = new L.ProcessPoolExecutor({ maxWorkers: 1 });
    await pool.submit(L.tasks.echo, 1);
    pool.submit(L.tasks.blockingSleep, 30000);
    await new Promise((r) => setTimeout(r, 200));`);
  const kids = descendants(parent.pid);
  assert.is(kids.length, 1);
  parent.kill("SIGKILL");
  // Structural: far less than the task's 30 s means the parent-death signal, not the task's end, ended it.
  assert.equal(await gone(kids), []);
});

test("startCli: output, waitForOutput, close() with the CLI's exit code", async () => {
  const handle = startCli("slow-server", ["--port", "0", "--delay", "0"]);
  try {
    const url = (await handle.waitForOutput(/http:\/\/127\.0\.0\.1:\d+/))[0];
    const body = await (await fetch(`${url}/status/404`)).text();
    assert.ok(typeof body === "string");
    await handle.waitForOutput(/GET \/status\/404\s+404/);
    const serverChild = descendants(handle.pid); // the server process (and its workers, if any)
    assert.ok(serverChild.length >= 1, `descendants ${serverChild}`);
    assert.equal(await handle.close(), { code: 0, signal: null });
    assert.equal(await handle.close(), { code: 0, signal: null }, "safe to call again");
    assert.equal(await gone(serverChild), []);
  } finally {
    handle.child.kill("SIGKILL");
  }
});

test("startCli: an unknown name lists the lib's CLIs; waitForOutput rejects when the program exits first", async () => {
  assert.throws(() => startCli("no-such-cli"), /no CLI named "no-such-cli" \(the lib has: .*slow-server/);
  const bad = startCli("slow-server", ["--workers", "x"]);
  try {
    await bad.waitForOutput(/http:/);
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /exited \(code 1\) without printing .*--workers must be a whole number/s);
  }
});

test("tieToParent: setpriv in front where it works, the command unchanged elsewhere", () => {
  const [file, args] = tieToParent("python3", ["x.py"], "SIGTERM");
  if (parentDeathSignalAvailable()) {
    assert.is(file, "setpriv");
    assert.equal(args, ["--pdeathsig", "SIGTERM", "--", "python3", "x.py"]);
  } else {
    assert.equal([file, args], ["python3", ["x.py"]]);
  }
});

test.run();
