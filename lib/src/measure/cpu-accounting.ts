/**
 * The operating system's CPU accounting, read where it is offered.
 *
 * On Linux, `/proc/stat` counts the CPU time of the whole machine by kind
 * (user, system, idle, steal, ...) and `/proc/<pid>/stat` counts one
 * process's CPU time (and that of its children it has waited for). Both count
 * in clock ticks (`getconf CLK_TCK`, 100 per second on Linux). Elsewhere these
 * files do not exist and every reader here returns `null`: callers then say
 * "unknown" instead of guessing.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** The machine-wide CPU counters of `/proc/stat`'s first line, in clock ticks since boot. */
export interface CpuTicks {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  /** Time a virtual machine wanted to run but the hypervisor ran someone else. */
  steal: number;
  /** Every tick counted (guest time is already inside user/nice, so it is not added again). */
  total: number;
  /** Ticks spent running something: user + nice + system + irq + softirq. */
  busy: number;
}

/**
 * Parses the text of `/proc/stat` (its aggregate `cpu` line). Returns `null`
 * when the text has no such line.
 *
 * @example
 * ```ts
 * import { parseProcStat } from "concurrency-lab";
 * parseProcStat("cpu  100 0 50 800 10 0 5 35 0 0\n")?.steal; // 35
 * ```
 */
export function parseProcStat(text: string): CpuTicks | null {
  if (typeof text !== "string") return null;
  const line = text.split("\n").find((l) => /^cpu\s/.test(l));
  if (!line) return null;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 4 || f.some((x) => !Number.isFinite(x))) return null;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  const busy = user + nice + system + irq + softirq;
  return { user, nice, system, idle, iowait, irq, softirq, steal, busy, total: busy + idle + iowait + steal };
}

/**
 * Reads `/proc/stat` now: the machine's CPU counters, or `null` where the file
 * does not exist (macOS, Windows).
 *
 * @example
 * ```ts
 * import { readCpuTicks } from "concurrency-lab";
 * const t = readCpuTicks();
 * console.log(t ? `steal so far: ${t.steal} ticks` : "no /proc/stat here");
 * ```
 */
export function readCpuTicks(): CpuTicks | null {
  try {
    return parseProcStat(readFileSync("/proc/stat", "utf8"));
  } catch {
    return null;
  }
}

/** CPU ticks of one process from `/proc/<pid>/stat`. */
export interface ProcessTicks {
  /** Parent process id. */
  ppid: number;
  /** utime + stime: this process, all its threads. */
  own: number;
  /** cutime + cstime: its children that have exited and been waited for. */
  children: number;
}

/**
 * Parses the text of `/proc/<pid>/stat`. The command name (field 2) may hold
 * spaces and parentheses, so fields are counted after its last ")".
 *
 * @example
 * ```ts
 * import { parseProcessStat } from "concurrency-lab";
 * parseProcessStat("42 (node worker) S 1 42 42 0 -1 0 0 0 0 0 120 30 7 3 20 0 1 0");
 * // { ppid: 1, own: 150, children: 10 }
 * ```
 */
export function parseProcessStat(text: string): ProcessTicks | null {
  if (typeof text !== "string") return null;
  const close = text.lastIndexOf(")");
  if (close < 0) return null;
  // After ")": state(3) ppid(4) pgrp(5) session(6) tty(7) tpgid(8) flags(9) minflt(10) cminflt(11)
  // majflt(12) cmajflt(13) utime(14) stime(15) cutime(16) cstime(17).
  const f = text.slice(close + 1).trim().split(/\s+/);
  const at = (field: number) => Number(f[field - 3]);
  const [ppid, utime, stime, cutime, cstime] = [at(4), at(14), at(15), at(16), at(17)];
  if (![ppid, utime, stime, cutime, cstime].every(Number.isFinite)) return null;
  return { ppid, own: utime + stime, children: cutime + cstime };
}

/**
 * Reads `/proc/<pid>/stat` now, or returns `null` when the process is gone or
 * the OS has no such file.
 *
 * @example
 * ```ts
 * import { readProcessTicks } from "concurrency-lab";
 * readProcessTicks(process.pid); // { ppid: 1, own: 123, children: 4 } on Linux, null elsewhere
 * ```
 */
export function readProcessTicks(pid: number): ProcessTicks | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    return parseProcessStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return null;
  }
}

let ticksPerSecond: number | undefined;

/**
 * Clock ticks per second of the `/proc` counters (`getconf CLK_TCK`; 100 when
 * it cannot be asked). Read once and cached.
 *
 * @example
 * ```ts
 * import { clockTicksPerSecond } from "concurrency-lab";
 * clockTicksPerSecond(); // 100 on Linux
 * ```
 */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond !== undefined) return ticksPerSecond;
  ticksPerSecond = 100;
  if (process.platform === "linux") {
    try {
      const n = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8", timeout: 2000, stdio: ["ignore", "pipe", "ignore"] }).trim());
      if (Number.isInteger(n) && n > 0) ticksPerSecond = n;
    } catch {
      // keep 100, the value Linux has used on every common architecture
    }
  }
  return ticksPerSecond;
}

/** CPU ticks of a process and of every descendant alive at the time of reading. */
export interface ProcessTree {
  root: ProcessTicks;
  /** Descendants (children, grandchildren, ...) by pid. */
  descendants: Map<number, ProcessTicks>;
}

/**
 * Reads the CPU ticks of process `root` (default: this one) and of all its
 * living descendants, by scanning `/proc/<pid>/stat` for parent ids. `extraPids`
 * are read too, descendants or not. Returns `null` where there is no `/proc`.
 *
 * @example
 * ```ts
 * import { readProcessTree } from "concurrency-lab";
 * const tree = readProcessTree();
 * console.log(tree ? `${tree.descendants.size} child processes` : "no /proc here");
 * ```
 */
export function readProcessTree(root: number = process.pid, extraPids: readonly number[] = []): ProcessTree | null {
  const rootTicks = readProcessTicks(root);
  if (!rootTicks) return null;
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return null;
  }
  const all = new Map<number, ProcessTicks>();
  for (const e of entries) {
    const pid = Number(e);
    if (pid === root) continue;
    const t = readProcessTicks(pid);
    if (t) all.set(pid, t);
  }
  const byParent = new Map<number, number[]>();
  for (const [pid, t] of all) byParent.set(t.ppid, [...(byParent.get(t.ppid) ?? []), pid]);
  const descendants = new Map<number, ProcessTicks>();
  const queue = [root];
  while (queue.length) {
    for (const child of byParent.get(queue.shift()!) ?? []) {
      if (descendants.has(child)) continue;
      descendants.set(child, all.get(child)!);
      queue.push(child);
    }
  }
  for (const pid of extraPids) {
    if (pid !== root && !descendants.has(pid)) {
      const t = all.get(pid) ?? readProcessTicks(pid);
      if (t) descendants.set(pid, t);
    }
  }
  return { root: rootTicks, descendants };
}

/**
 * CPU ticks used by a process's descendants between two readings of its tree:
 * the growth of living ones, all of those born in between, and those that
 * exited and were waited for (through the `children` counters of their
 * parents), minus what the exited ones had used before the first reading.
 *
 * @example
 * ```ts
 * import { descendantTicks } from "concurrency-lab";
 * const before = { root: { ppid: 1, own: 10, children: 0 }, descendants: new Map([[7, { ppid: 5, own: 40, children: 0 }]]) };
 * const after = { root: { ppid: 1, own: 12, children: 90 }, descendants: new Map() }; // 7 exited at 90 ticks
 * descendantTicks(before, after); // 50
 * ```
 */
export function descendantTicks(before: ProcessTree, after: ProcessTree): number {
  let ticks = after.root.children - before.root.children;
  for (const [pid, t] of after.descendants) {
    const t0 = before.descendants.get(pid);
    ticks += t.own + t.children - (t0 ? t0.own + t0.children : 0);
  }
  for (const [pid, t0] of before.descendants) {
    if (!after.descendants.has(pid)) ticks -= t0.own + t0.children;
  }
  return Math.max(0, ticks);
}
