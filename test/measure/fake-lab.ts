/**
 * A fake machine for the measurement protocol's tests: a clock and CPU counters
 * that move only when a variant says it worked, and scripted /proc readings.
 * No test depends on real time.
 */
import type { CpuTicks, Probes, ProcessTree } from "concurrency-lab";
import { parseProcStat } from "concurrency-lab";

export interface FakeLab {
  probes: Partial<Probes>;
  /** Advances the clock by `ms` and this process's CPU by `cpuMs` (default: `ms`, one core busy). */
  work(ms: number, cpuMs?: number): void;
  /** Adds CPU ticks to a fake child process (created on first use). */
  childWork(pid: number, ticks: number): void;
  /** Ends a fake child: its ticks move to this process's `children` counter, as after waitpid. */
  childExit(pid: number): void;
  /** Current fake time. */
  now(): number;
  /** Names of the variants in the order they ran. */
  log: string[];
  /**
   * A variant that runs its scripted times in turn (warm-up runs included),
   * working `cpuFactor` cores for its whole time and logging its name.
   */
  variant(name: string, times: number[], opts?: { cpuFactor?: number; returns?: (i: number) => unknown }): () => unknown;
}

/** The /proc/stat line of a machine; fields in ticks. */
export function statLine(f: { user?: number; system?: number; idle?: number; steal?: number }): string {
  return `cpu  ${f.user ?? 0} 0 ${f.system ?? 0} ${f.idle ?? 0} 0 0 0 ${f.steal ?? 0} 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\n`;
}

export function fakeLab(opts: { procStat?: (string | null)[]; tree?: boolean } = {}): FakeLab {
  let t = 1000;
  let cpuUs = 0;
  const self = { ppid: 1, own: 0, children: 0 };
  const kids = new Map<number, { ppid: number; own: number; children: number }>();
  const stats = [...(opts.procStat ?? [])];
  const log: string[] = [];
  const lab: FakeLab = {
    log,
    now: () => t,
    work(ms, cpuMs = ms) {
      t += ms;
      cpuUs += cpuMs * 1000;
    },
    childWork(pid, ticks) {
      const k = kids.get(pid) ?? { ppid: 4242, own: 0, children: 0 };
      k.own += ticks;
      kids.set(pid, k);
    },
    childExit(pid) {
      const k = kids.get(pid);
      if (!k) return;
      self.children += k.own + k.children;
      kids.delete(pid);
    },
    variant(name, times, vopts = {}) {
      let i = 0;
      return () => {
        const ms = times[Math.min(i, times.length - 1)]!;
        log.push(name);
        lab.work(ms, ms * (vopts.cpuFactor ?? 1));
        const r = vopts.returns?.(i);
        i++;
        return r;
      };
    },
    probes: {
      clock: () => t,
      cpuUsage: () => ({ user: cpuUs, system: 0 }),
      readCpuTicks: (): CpuTicks | null => {
        const s = stats.shift();
        return s === undefined || s === null ? null : parseProcStat(s);
      },
      readProcessTree: (): ProcessTree | null =>
        opts.tree === false ? null : { root: { ...self }, descendants: new Map([...kids].map(([p, k]) => [p, { ...k }])) },
      ticksPerSecond: () => 100,
      machine: () => ({ cores: 2, node: "test" }),
    },
  };
  return lab;
}
