/**
 * Child-process entry of `libuvPoolDemo` (not meant to be imported): counts
 * this process's threads before and after network and file-system calls, then
 * fills libuv's thread pool with crypto jobs and times a few other calls
 * started behind them. Prints one JSON line (a `LibuvPoolReport`).
 * It exits when its parent goes (its stdin is a pipe from the parent).
 */
import { readdirSync, promises as fsp } from "node:fs";
import * as http from "node:http";
import * as dns from "node:dns";
import * as crypto from "node:crypto";
import * as zlib from "node:zlib";
import type { AddressInfo } from "node:net";
import type { LibuvPoolReport } from "./libuv-pool";

const t0 = performance.now();
const since = (t: number) => Math.round((performance.now() - t) * 10) / 10;

function threadCount(): number | null {
  try {
    return readdirSync("/proc/self/task").length;
  } catch {
    return null;
  }
}

function get(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => res.resume().on("end", resolve)).on("error", reject);
  });
}

function pbkdf2(iterations: number): Promise<void> {
  return new Promise((resolve, reject) =>
    crypto.pbkdf2("secret", "salt", iterations, 32, "sha256", (err) => (err ? reject(err) : resolve())),
  );
}

async function main(): Promise<LibuvPoolReport> {
  const poolSize = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const jobMs = Number(process.argv[2] ?? 150);
  const atStart = threadCount();
  const server = http.createServer((_req, res) => res.end("ok")).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const port = (server.address() as AddressInfo).port;
  await get(`http://127.0.0.1:${port}/`); // a TCP connection, a request, a response
  const afterNetwork = threadCount();
  await fsp.stat(__filename); // the first file-system call starts the pool
  const afterFs = threadCount();

  // Size one crypto job: about jobMs of CPU on one core.
  const probe = performance.now();
  crypto.pbkdf2Sync("secret", "salt", 20_000, 32, "sha256");
  const iterations = Math.max(1000, Math.round((20_000 * jobMs) / (performance.now() - probe)));

  const start = performance.now();
  const cryptoEnds = Array.from({ length: poolSize }, () => pbkdf2(iterations).then(() => since(start)));
  const timedOp = async (name: string, usesPool: boolean, op: () => Promise<unknown>) => {
    await op();
    return { name, usesPool, endMs: since(start) };
  };
  const ops = await Promise.all([
    timedOp("http.get by IP (127.0.0.1)", false, () => get(`http://127.0.0.1:${port}/`)),
    timedOp("fs.promises.stat", true, () => fsp.stat(__filename)),
    timedOp('dns.lookup("localhost")', true, () => dns.promises.lookup("localhost")),
    timedOp("zlib.gzip (1 KB)", true, () => new Promise((r) => zlib.gzip(Buffer.alloc(1024), r))),
    timedOp('http.get by name ("localhost")', true, () => get(`http://localhost:${port}/`)),
  ]);
  const endsMs = await Promise.all(cryptoEnds);
  server.close();
  return {
    node: process.version,
    poolSize,
    threads: { atStart, afterNetwork, afterFs },
    crypto: { jobs: poolSize, iterations, jobMs, endsMs },
    ops,
    totalMs: since(t0),
  };
}

process.stdin.on("end", () => process.exit(0)).resume(); // the parent went away
main().then(
  (report) => {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    process.exit(0);
  },
  (err: Error) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  },
);
