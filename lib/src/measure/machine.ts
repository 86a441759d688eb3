import { execFileSync } from "node:child_process";
import os from "node:os";

/** What the notebook runs on: the context every measured figure needs. */
export interface MachineInfo {
  /** CPUs this process may use (`os.availableParallelism()`): the most threads that can run at once. */
  cores: number;
  cpuModel: string;
  totalMemoryGB: number;
  freeMemoryGB: number;
  node: string;
  v8: string;
  platform: NodeJS.Platform;
  arch: string;
  /** Version of the `python3` on PATH (e.g. "3.11.7"), or null when there is none. */
  python3: string | null;
}

let python3Version: string | null | undefined;

function findPython3(): string | null {
  if (python3Version !== undefined) return python3Version;
  try {
    const out = execFileSync("python3", ["--version"], { encoding: "utf8", timeout: 5000, stdio: ["ignore", "pipe", "pipe"] });
    python3Version = /Python\s+(\S+)/.exec(out)?.[1] ?? null;
  } catch {
    python3Version = null; // not installed, or not runnable
  }
  return python3Version;
}

/**
 * Cores, memory, Node/V8 versions and whether python3 is present, so that a
 * notebook can say "measured on 2 cores, Node 20.20" next to its figures.
 * (The python3 probe runs once per process and is cached.)
 *
 * @example
 * ```ts
 * import { machineInfo } from "concurrency-lab";
 * const m = machineInfo();
 * console.log(`${m.cores} cores, ${m.totalMemoryGB} GB, Node ${m.node}, python3 ${m.python3 ?? "absent"}`);
 * ```
 */
export function machineInfo(): MachineInfo {
  const gb = (bytes: number) => Math.round((bytes / 2 ** 30) * 10) / 10;
  return {
    cores: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
    totalMemoryGB: gb(os.totalmem()),
    freeMemoryGB: gb(os.freemem()),
    node: process.versions.node,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    python3: findPython3(),
  };
}
