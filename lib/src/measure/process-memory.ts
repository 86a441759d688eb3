/**
 * Memory of a process, measured the same way on both sides of a comparison.
 *
 * RSS counts every page a process has in RAM, including pages it shares with
 * others (the Node or Python binary, libraries, pages inherited by fork), so
 * the RSS of ten workers adds up to more than they use. PSS (proportional set
 * size) splits each shared page between its sharers: PSS values add up. Linux
 * offers PSS in `/proc/<pid>/smaps_rollup`; elsewhere only RSS is available,
 * and the result says which one it is.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Memory of one process. */
export interface ProcessMemory {
  pid: number;
  bytes: number;
  /** Mebibytes, rounded to 0.1. */
  mb: number;
  /** "PSS" (shared pages split between sharers) or "RSS" (shared pages counted whole). */
  measure: "PSS" | "RSS";
  /** Where the value came from. */
  source: string;
}

function kbField(text: string, field: string): number | null {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(text);
  return m ? Number(m[1]) * 1024 : null;
}

function make(pid: number, bytes: number, measure: "PSS" | "RSS", source: string): ProcessMemory {
  return { pid, bytes, mb: Math.round((bytes / 2 ** 20) * 10) / 10, measure, source };
}

/**
 * PSS of process `pid` from `/proc/<pid>/smaps_rollup` where available, else
 * its RSS (`/proc/<pid>/status`, `process.memoryUsage()` for this process, or
 * `ps`), named as such in `measure`. Throws when the process does not exist.
 *
 * @example
 * ```ts
 * import { processMemory } from "concurrency-lab";
 * const m = processMemory(process.pid);
 * console.log(`${m.mb} MB (${m.measure})`); // "61.2 MB (PSS)" on Linux
 * ```
 */
export function processMemory(pid: number): ProcessMemory {
  if (!Number.isInteger(pid) || pid <= 0) throw new RangeError(`pid must be a positive integer, got ${String(pid)}`);
  try {
    const pss = kbField(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"), "Pss");
    if (pss !== null) return make(pid, pss, "PSS", `/proc/${pid}/smaps_rollup`);
  } catch {
    // no smaps_rollup (not Linux, kernel < 4.14, or no permission): fall back to RSS
  }
  try {
    const rss = kbField(readFileSync(`/proc/${pid}/status`, "utf8"), "VmRSS");
    if (rss !== null) return make(pid, rss, "RSS", `/proc/${pid}/status`);
  } catch {
    // not Linux
  }
  if (pid === process.pid) return make(pid, process.memoryUsage().rss, "RSS", "process.memoryUsage()");
  try {
    const kb = Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8", timeout: 5000, stdio: ["ignore", "pipe", "ignore"] }).trim());
    if (Number.isFinite(kb) && kb > 0) return make(pid, kb * 1024, "RSS", "ps -o rss");
  } catch {
    // ps exits 1 when the process does not exist
  }
  throw new Error(`processMemory: no process ${pid} (or its memory cannot be read here)`);
}

/**
 * Total memory of several processes, with the measure named. PSS values add
 * up; RSS values double-count shared pages, so a total of RSS is an upper
 * bound and `measure` says "RSS". Processes that are gone are skipped and listed.
 *
 * @example
 * ```ts
 * import { processesMemory } from "concurrency-lab";
 * const t = processesMemory([process.pid]);
 * console.log(`${t.mb} MB ${t.measure} over ${t.processes.length} processes`);
 * ```
 */
export function processesMemory(pids: readonly number[]): { bytes: number; mb: number; measure: "PSS" | "RSS"; processes: ProcessMemory[]; missing: number[] } {
  if (!Array.isArray(pids)) throw new TypeError("pids must be an array of process ids");
  const processes: ProcessMemory[] = [];
  const missing: number[] = [];
  for (const pid of pids) {
    try {
      processes.push(processMemory(pid));
    } catch {
      missing.push(pid);
    }
  }
  const bytes = processes.reduce((a, m) => a + m.bytes, 0);
  const measure = processes.length > 0 && processes.every((m) => m.measure === "PSS") ? "PSS" : "RSS";
  return { bytes, mb: Math.round((bytes / 2 ** 20) * 10) / 10, measure, processes, missing };
}
