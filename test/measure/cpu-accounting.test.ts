import { test } from "uvu";
import { existsSync } from "node:fs";
import * as assert from "uvu/assert";
import {
  clockTicksPerSecond, descendantTicks, machineNoise, describeNoise, parseProcessStat, parseProcStat,
  processMemory, processesMemory, readCpuTicks, readProcessTicks, readProcessTree,
} from "concurrency-lab";

test("parseProcStat reads the aggregate cpu line; busy excludes idle, iowait and steal", () => {
  const t = parseProcStat("cpu  100 5 50 800 10 2 3 35 7 0\ncpu0 1 2 3 4 5 6 7 8 9 10\nintr 1\n")!;
  assert.equal(t, { user: 100, nice: 5, system: 50, idle: 800, iowait: 10, irq: 2, softirq: 3, steal: 35, busy: 160, total: 1005 });
  assert.is(parseProcStat("cpu0 1 2 3 4\n"), null, "per-CPU lines only: no aggregate");
  assert.is(parseProcStat(""), null);
  assert.ok(parseProcStat("cpu 1 2 3 4")!.steal === 0, "old kernels without steal");
});

test("parseProcessStat counts fields after the last ')' (names may hold spaces and parentheses)", () => {
  const line = "42 (my (odd) name) S 7 42 42 0 -1 0 0 0 0 0 120 30 7 3 20 0 1 0 100 0 0";
  assert.equal(parseProcessStat(line), { ppid: 7, own: 150, children: 10 });
  assert.is(parseProcessStat("garbage"), null);
});

test("descendantTicks: living children's growth, newcomers, and exited children through cutime", () => {
  const t0 = { root: { ppid: 1, own: 0, children: 100 }, descendants: new Map([
    [10, { ppid: 5, own: 40, children: 0 }], // lives on
    [11, { ppid: 5, own: 30, children: 0 }], // exits during the window
  ]) };
  const t1 = { root: { ppid: 1, own: 0, children: 100 + 50 }, descendants: new Map([
    [10, { ppid: 5, own: 60, children: 0 }], // +20
    [12, { ppid: 5, own: 15, children: 0 }], // born: +15
  ]) };
  // 11 exited at 50 ticks (30 before the window, 20 in it): 20 + 15 + 20 = 55
  assert.is(descendantTicks(t0, t1), 55);
});

test("machineNoise: others' cores and steal from two readings; unknown without them", () => {
  const a = parseProcStat("cpu 1000 0 0 1000 0 0 0 0")!;
  const b = parseProcStat("cpu 1150 0 0 1040 0 0 0 10")!;
  assert.equal(machineNoise(a, b, { wallMs: 1000, ourCpuMs: 1000, ticksPerSecond: 100 }),
    { known: true, wallMs: 1000, cpus: 2, busyCores: 1.5, ourCores: 1, otherCores: 0.5, stealShare: 0.05 });
  const over = machineNoise(a, b, { wallMs: 1000, ourCpuMs: 2000, ticksPerSecond: 100 });
  assert.ok(over.known && over.otherCores === 0, "never below zero");
  assert.equal(machineNoise(null, b, { wallMs: 1000, ourCpuMs: 0, ticksPerSecond: 100 }), { known: false, reason: "this OS offers no /proc/stat" });
  assert.is(machineNoise(a, a, { wallMs: 1000, ourCpuMs: 0, ticksPerSecond: 100 }).known, false);
  assert.match(describeNoise({ known: false, reason: "r" }), /unknown \(r\)/);
});

test("real readers agree with the platform (Linux: numbers; elsewhere: null)", () => {
  const linux = process.platform === "linux";
  assert.is(readCpuTicks() !== null, linux);
  assert.is(readProcessTicks(process.pid) !== null, linux);
  const tree = readProcessTree();
  assert.is(tree !== null, linux);
  if (tree) assert.not.ok(tree.descendants.has(process.pid));
  assert.ok(clockTicksPerSecond() > 0);
  assert.is(readProcessTicks(-1), null);
});

test("processMemory: PSS where Linux offers it, else RSS, and says which", () => {
  const m = processMemory(process.pid);
  assert.ok(m.bytes > 0 && m.mb > 0);
  assert.ok(m.measure === "PSS" || m.measure === "RSS");
  if (existsSync(`/proc/${process.pid}/smaps_rollup`)) assert.is(m.measure, "PSS");
  assert.throws(() => processMemory(0), /pid/);
  const t = processesMemory([process.pid, 2 ** 22 + 12345]);
  assert.is(t.processes.length, 1);
  assert.equal(t.missing, [2 ** 22 + 12345]);
  assert.is(t.measure, m.measure);
});

test.run();
