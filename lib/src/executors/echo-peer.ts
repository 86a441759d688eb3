/**
 * A bare peer on the other side of a message channel: a worker thread or a
 * child process that loads nothing but Node itself and answers every message.
 * It measures the two costs of handing work over without any pool or library
 * in the way: how long a bare thread or process takes to start, and how long
 * one message takes there and back.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { Worker, type TransferListItem } from "node:worker_threads";
import { now } from "../measure/clock";

/** Where an {@link EchoPeer} runs. */
export type PeerKind = "thread" | "process";

/**
 * The peer's whole program: reply to each message with the message itself,
 * or, for binary data, with its size only (so a large buffer travels one way).
 */
const ANSWER = `(m) => (m instanceof ArrayBuffer || ArrayBuffer.isView(m) ? { byteLength: m.byteLength } : m)`;
const THREAD_CODE =
  `const { parentPort } = require("node:worker_threads"); const answer = ${ANSWER};` +
  `parentPort.on("message", (m) => parentPort.postMessage(answer(m))); parentPort.postMessage("ready");`;
const PROCESS_CODE =
  `const answer = ${ANSWER}; process.on("message", (m) => process.send(answer(m)));` +
  `process.on("disconnect", () => process.exit(0)); process.send("ready");`;

/** A started peer. Close it when done (`track` can close it too). */
export interface EchoPeer {
  readonly kind: PeerKind;
  /** `thread <id>` or `pid <pid>`. */
  readonly lane: string;
  /** The process id of a process peer (undefined for a thread). */
  readonly pid: number | undefined;
  /** From the call that created the thread or process to its first message, in ms. */
  readonly startMs: number;
  /** Sends one message and resolves with the answer (`{ byteLength }` for binary data). */
  roundTrip(message: unknown, transfer?: TransferListItem[]): Promise<unknown>;
  /** `count` round trips one after the other; resolves with the mean time of one, in µs. */
  roundTrips(count: number, message?: unknown): Promise<number>;
  /** Ends the thread or process and waits until it is gone. */
  close(): Promise<void>;
}

interface Channel {
  send(message: unknown, transfer?: TransferListItem[]): void;
  on(event: "message", listener: (m: unknown) => void): unknown;
  off(event: "message", listener: (m: unknown) => void): unknown;
}

function channelOf(kind: PeerKind, peer: Worker | ChildProcess): Channel {
  if (kind === "thread") {
    const w = peer as Worker;
    return { send: (m, t) => w.postMessage(m, t), on: (e, l) => w.on(e, l), off: (e, l) => w.off(e, l) };
  }
  const c = peer as ChildProcess;
  return {
    send: (m, t) => {
      if (t?.length) throw new TypeError("a child process cannot take a transfer list: IPC always copies");
      c.send(m as never);
    },
    on: (e, l) => c.on(e, l),
    off: (e, l) => c.off(e, l),
  };
}

/**
 * Starts a bare worker thread (`new Worker(code, { eval: true })`) or a bare
 * child process (`node -e code` with an IPC channel, structured-clone
 * serialization) that answers every message, and resolves once it has said
 * "ready". `startMs` is that start-up: nothing is loaded but Node itself,
 * unlike a pool's worker, which also loads its pool and task code.
 *
 * @example
 * ```ts
 * import { startEchoPeer } from "concurrency-lab";
 * const thread = await startEchoPeer("thread");
 * console.log(`started in ${thread.startMs.toFixed(1)} ms`);
 * console.log(`${(await thread.roundTrips(1000)).toFixed(1)} µs per round trip`);
 * await thread.roundTrip(new ArrayBuffer(8)); // { byteLength: 8 }
 * await thread.close();
 * ```
 */
export async function startEchoPeer(kind: PeerKind): Promise<EchoPeer> {
  if (kind !== "thread" && kind !== "process") throw new RangeError(`startEchoPeer: kind must be "thread" or "process", got ${String(kind)}`);
  const t0 = now();
  const peer: Worker | ChildProcess =
    kind === "thread"
      ? new Worker(THREAD_CODE, { eval: true })
      : spawn(process.execPath, ["-e", PROCESS_CODE], { stdio: ["ignore", "ignore", "inherit", "ipc"], serialization: "advanced" });
  const channel = channelOf(kind, peer);
  const failed = new Promise<never>((_, reject) => {
    peer.once("error", reject);
    peer.once("exit", (code: number | null) => reject(new Error(`the ${kind} peer exited with code ${code} before it was ready`)));
  });
  const ready = new Promise<void>((resolve) => {
    const onReady = (m: unknown) => {
      if (m !== "ready") return;
      channel.off("message", onReady);
      resolve();
    };
    channel.on("message", onReady);
  });
  try {
    await Promise.race([ready, failed]);
  } catch (error) {
    if (kind === "thread") await (peer as Worker).terminate();
    else (peer as ChildProcess).kill("SIGKILL");
    throw error;
  }
  failed.catch(() => undefined);
  const startMs = now() - t0;
  let closed = false;

  const roundTrip = (message: unknown, transfer?: TransferListItem[]) =>
    new Promise<unknown>((resolve) => {
      const onAnswer = (m: unknown) => {
        channel.off("message", onAnswer);
        resolve(m);
      };
      channel.on("message", onAnswer);
      channel.send(message, transfer);
    });

  return {
    kind,
    lane: kind === "thread" ? `thread ${(peer as Worker).threadId}` : `pid ${(peer as ChildProcess).pid}`,
    pid: kind === "process" ? (peer as ChildProcess).pid : undefined,
    startMs,
    roundTrip,
    async roundTrips(count: number, message: unknown = 0): Promise<number> {
      if (!Number.isInteger(count) || count < 1) throw new RangeError(`roundTrips: count must be an integer >= 1, got ${String(count)}`);
      const start = now();
      for (let i = 0; i < count; i++) await roundTrip(message);
      return ((now() - start) * 1000) / count;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (kind === "thread") {
        await (peer as Worker).terminate();
        return;
      }
      const child = peer as ChildProcess;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.disconnect();
      await exited;
    },
  };
}

/**
 * Mean time of one `await` of an already resolved promise, in µs, over
 * `count` awaits one after another: the cheapest hand-over there is (the
 * task stays on its thread and only goes back to the event loop's queue).
 *
 * @example
 * ```ts
 * import { promiseHops } from "concurrency-lab";
 * console.log(`${(await promiseHops(10_000)).toFixed(2)} µs per await`);
 * ```
 */
export async function promiseHops(count: number): Promise<number> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`promiseHops: count must be an integer >= 1, got ${String(count)}`);
  const start = now();
  for (let i = 0; i < count; i++) await Promise.resolve(i);
  return ((now() - start) * 1000) / count;
}

/**
 * Sends a fresh `mib`-MiB buffer to a thread peer, copied or transferred, and
 * times the round trip (the peer answers with the size it got). The buffer is
 * allocated and filled before the clock starts. Returns `{ wallMs }`, the
 * shape of an `experiment()` variant's report.
 *
 * @example
 * ```ts
 * import { startEchoPeer, timedBufferTrip } from "concurrency-lab";
 * const peer = await startEchoPeer("thread");
 * const copied = await timedBufferTrip(peer, 32, "copy");
 * const moved = await timedBufferTrip(peer, 32, "transfer");
 * console.log(copied.wallMs, moved.wallMs);
 * await peer.close();
 * ```
 */
export async function timedBufferTrip(peer: EchoPeer, mib: number, how: "copy" | "transfer"): Promise<{ wallMs: number }> {
  if (!(mib > 0) || !Number.isFinite(mib)) throw new RangeError(`timedBufferTrip: mib must be a number > 0, got ${String(mib)}`);
  if (how !== "copy" && how !== "transfer") throw new RangeError(`timedBufferTrip: how must be "copy" or "transfer", got ${String(how)}`);
  const buffer = new ArrayBuffer(Math.round(mib * 2 ** 20));
  new Uint8Array(buffer).fill(1);
  const t0 = now();
  const answer = (await peer.roundTrip(buffer, how === "transfer" ? [buffer] : undefined)) as { byteLength?: number };
  const wallMs = now() - t0;
  if (answer?.byteLength !== Math.round(mib * 2 ** 20)) throw new Error(`timedBufferTrip: the peer got ${String(answer?.byteLength)} bytes`);
  return { wallMs };
}
