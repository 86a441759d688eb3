/**
 * Worker-thread entry of {@link counterRace}: waits at the start barrier with
 * the other racers, adds 1 to the shared counter `increments` times in the
 * requested mode, and posts back its spans on the shared clock.
 * Not meant to be imported: `counterRace` starts it with `new Worker(...)`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { Barrier } from "../sync/barrier";
import { now } from "../measure/clock";
import { Mutex } from "../sync/mutex";
import { currentLane, type Span } from "../measure/timeline";
import type { RaceMode } from "./race-mode";

/** What `counterRace` hands each worker (all buffers are shared, not copied). */
export interface RaceWorkerData {
  mode: RaceMode;
  increments: number;
  counter: SharedArrayBuffer;
  start: SharedArrayBuffer;
  mutex: SharedArrayBuffer;
}

/** What each worker posts back when done. */
export interface RaceWorkerReport {
  spans: Span[];
}

/**
 * Read, then write: two separate memory operations with a gap between them.
 * Atomics.load/store make each one a real access to shared memory on every
 * iteration. A plain `counter[0]++` loses updates too, but for a data race on
 * plain accesses the JIT may keep the value in a register and write it back
 * late, so what it loses depends on the compiler as much as on the interleaving.
 * Here only the pair is not atomic, and that is the bug on display.
 */
function incrementUnsafe(counter: Int32Array, increments: number): void {
  for (let i = 0; i < increments; i++) {
    const seen = Atomics.load(counter, 0);
    // another thread may store here, between our read and our write: its update is then overwritten
    Atomics.store(counter, 0, seen + 1);
  }
}

/** One indivisible read-add-write instruction (a LOCK XADD on x86). */
function incrementAtomic(counter: Int32Array, increments: number): void {
  for (let i = 0; i < increments; i++) Atomics.add(counter, 0, 1);
}

/** The unsafe read and write again, made safe by holding a lock across them. */
function incrementLocked(counter: Int32Array, increments: number, mutex: Mutex): void {
  for (let i = 0; i < increments; i++) {
    mutex.lock();
    const seen = Atomics.load(counter, 0);
    Atomics.store(counter, 0, seen + 1);
    mutex.unlock();
  }
}

function run(data: RaceWorkerData): RaceWorkerReport {
  const counter = new Int32Array(data.counter);
  const lane = currentLane();
  const arrived = now();
  Barrier.from(data.start).wait();
  const released = now();
  if (data.mode === "unsafe") incrementUnsafe(counter, data.increments);
  else if (data.mode === "atomic") incrementAtomic(counter, data.increments);
  else incrementLocked(counter, data.increments, Mutex.from(data.mutex));
  const done = now();
  return {
    spans: [
      { label: "waiting at the start barrier", lane, start: arrived, end: released, kind: "waiting" },
      { label: `${data.increments.toLocaleString("en-US")} × ${data.mode} increment`, lane, start: released, end: done, kind: "running" },
    ],
  };
}

if (parentPort !== null && workerData !== null && typeof workerData === "object" && "counter" in workerData) {
  parentPort.postMessage(run(workerData as RaceWorkerData));
}
