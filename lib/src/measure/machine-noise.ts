/**
 * Machine noise: what else the machine did while we measured.
 *
 * Two readings of `/proc/stat` bracket a measurement. Between them, the
 * machine's busy CPU time minus our own is what other programs used; steal is
 * the time a virtual machine's CPUs were taken away by the hypervisor. Both
 * slow a measurement down without any fault of the code measured, so results
 * print them beside the numbers. Where `/proc/stat` does not exist, noise is
 * "unknown", never zero.
 */
import { now } from "./clock";
import { clockTicksPerSecond, descendantTicks, readCpuTicks, readProcessTree, type CpuTicks } from "./cpu-accounting";

/** Noise during a measurement window, or why it is unknown. */
export type MachineNoise =
  | {
      known: true;
      /** Length of the window. */
      wallMs: number;
      /** CPUs the machine's counters covered (all of them, not only those this process may use). */
      cpus: number;
      /** Cores kept busy by everyone, on average over the window. */
      busyCores: number;
      /** Cores kept busy by this process and its children (as measured by the caller). */
      ourCores: number;
      /** busyCores - ourCores, at least 0: other programs' CPU, in cores. */
      otherCores: number;
      /** Share of all CPU time taken by the hypervisor (0..1). */
      stealShare: number;
    }
  | { known: false; reason: string };

/**
 * Computes the noise of a window from two `/proc/stat` readings, the
 * window's wall time and the CPU time our own process (and children) used in
 * it. Either reading `null` gives `{ known: false }` with the reason.
 *
 * @example
 * ```ts
 * import { machineNoise, parseProcStat } from "concurrency-lab";
 * const a = parseProcStat("cpu 1000 0 0 1000 0 0 0 0")!;
 * const b = parseProcStat("cpu 1150 0 0 1040 0 0 0 10")!; // 1 s later, 100 ticks/s, 2 CPUs
 * machineNoise(a, b, { wallMs: 1000, ourCpuMs: 1000, ticksPerSecond: 100 });
 * // { known: true, busyCores: 1.5, ourCores: 1, otherCores: 0.5, stealShare: 0.05, cpus: 2, wallMs: 1000 }
 * ```
 */
export function machineNoise(
  before: CpuTicks | null,
  after: CpuTicks | null,
  opts: { wallMs: number; ourCpuMs: number | null; ticksPerSecond: number },
): MachineNoise {
  if (!before || !after) return { known: false, reason: "this OS offers no /proc/stat" };
  const { wallMs, ourCpuMs, ticksPerSecond } = opts;
  if (!(wallMs > 0)) return { known: false, reason: "the window was too short to measure" };
  const total = after.total - before.total;
  if (!(total > 0)) return { known: false, reason: "/proc/stat did not advance during the window" };
  const msPerTick = 1000 / ticksPerSecond;
  const busyCores = ((after.busy - before.busy) * msPerTick) / wallMs;
  const ourCores = ourCpuMs === null ? 0 : ourCpuMs / wallMs;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    known: true,
    wallMs: round(wallMs),
    cpus: Math.max(1, Math.round((total * msPerTick) / wallMs)),
    busyCores: round(busyCores),
    ourCores: round(ourCores),
    otherCores: round(Math.max(0, busyCores - ourCores)),
    stealShare: round((after.steal - before.steal) / total),
  };
}

/**
 * One line for a reader: "other programs used 0.50 cores, steal 5.0%" or
 * "machine noise unknown (…)".
 *
 * @example
 * ```ts
 * import { describeNoise } from "concurrency-lab";
 * describeNoise({ known: false, reason: "this OS offers no /proc/stat" });
 * // "machine noise: unknown (this OS offers no /proc/stat)"
 * ```
 */
export function describeNoise(noise: MachineNoise): string {
  if (!noise.known) return `machine noise: unknown (${noise.reason})`;
  return `machine noise during the run: other programs kept ${noise.otherCores.toFixed(2)} cores busy, ` +
    `steal ${(noise.stealShare * 100).toFixed(1)}% (this run: ${noise.ourCores.toFixed(2)} cores, machine: ${noise.cpus} CPUs)`;
}

/**
 * Runs `fn` and reads the machine's noise around it: other programs' CPU (in
 * cores) and steal, with this process and all its child processes counted as
 * ours. For measurements taken by something else (a Python program), to give
 * `experimentFromSamples` the noise of their window.
 *
 * @example
 * ```ts
 * import { noiseDuring, describeNoise, sleep } from "concurrency-lab";
 * const { noise } = await noiseDuring(() => sleep(500));
 * console.log(describeNoise(noise));
 * ```
 */
export async function noiseDuring<T>(fn: () => T | Promise<T>): Promise<{ value: Awaited<T>; noise: MachineNoise; wallMs: number }> {
  if (typeof fn !== "function") throw new TypeError("fn must be a function");
  const stat0 = readCpuTicks();
  const tree0 = readProcessTree();
  const cpu0 = process.cpuUsage();
  const t0 = now();
  const value = await fn();
  const wallMs = now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const tree1 = readProcessTree();
  const stat1 = readCpuTicks();
  const ticks = clockTicksPerSecond();
  const ourCpuMs = tree0 && tree1 ? (cpu.user + cpu.system) / 1000 + (descendantTicks(tree0, tree1) * 1000) / ticks : null;
  return { value, wallMs, noise: machineNoise(stat0, stat1, { wallMs, ourCpuMs, ticksPerSecond: ticks }) };
}
