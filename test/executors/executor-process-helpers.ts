// Helpers that run a pool in a separate Node process, for what only a whole process can show.
import { spawn } from "node:child_process";
import * as assert from "uvu/assert";

const lib = require.resolve("concurrency-lab");

/** Runs a script that uses a pool and never calls shutdown; it must exit on its own within a few seconds. */
export async function endsByItself(executor: "ThreadPoolExecutor" | "ProcessPoolExecutor"): Promise<void> {
  const script = `const L = require(${JSON.stringify(lib)});
    const pool = new L.${executor}({ maxWorkers: 2 });
    pool.mapAll(L.tasks.isPrime, [5, 6, 7]).then((r) => console.log(JSON.stringify(r)));`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const killer = setTimeout(() => child.kill("SIGKILL"), 8000);
  const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.on("exit", (c, s) => r([c, s])));
  clearTimeout(killer);
  assert.is(signal, null, "the script had to be killed: something kept it alive");
  assert.is(code, 0);
  assert.is(out.trim(), "[true,false,true]");
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts a parent process owning a ProcessPoolExecutor with two busy-once children; returns it and the children's pids. */
export async function parentWithPool(): Promise<{ kill: () => void; childPids: number[] }> {
  const script = `const L = require(${JSON.stringify(lib)});
    const pool = new L.ProcessPoolExecutor({ maxWorkers: 2 });
    Promise.all([1, 2].map(() => pool.submit(L.tasks.blockingSleep, 100))).then(() => {
      console.log(JSON.stringify(pool.lanes.map((l) => Number(l.slice(4)))));
      setInterval(() => {}, 1000); // stay alive until killed
    });`;
  const { kill, line } = await spawnReporting(script);
  return { kill, childPids: JSON.parse(line) as number[] };
}

/**
 * Starts `node -e script` as a parent that reports one line on stdout and then
 * stays alive; resolves with that line and a SIGKILL for the parent (rejects if it exits first).
 */
export async function spawnReporting(script: string): Promise<{ kill: () => void; line: string }> {
  const parent = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    parent.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(out.trim());
    });
    parent.on("exit", () => reject(new Error(`parent exited early: ${out}`)));
  });
  return { kill: () => parent.kill("SIGKILL"), line };
}
