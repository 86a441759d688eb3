/**
 * npm run bench:timers: the timing figures that the unit tests no longer assert
 * (they check structure only; these numbers depend on the machine and its load).
 * Prints, for this machine now: how close calibrate's size re-measures to its
 * target, the event-loop lag of an idle loop and of one blocked by
 * blockingSleep, the longest gap of a free loop, and how soon an aborted
 * sleep() settles. Nothing here passes or fails: read it next to the load average.
 */
import * as os from "node:os";
import { Timeline, blockingSleep, calibrate, eventLoopLag, measureLag, now, repeat, sleep, watchEventLoop } from "concurrency-lab";

function countDown(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x + i) % 1_000_003;
  return x;
}

async function main(): Promise<void> {
  const rows: [string, string][] = [];
  const load = os.loadavg().map((l) => l.toFixed(2)).join(" ");
  for (const target of [50, 150, 500]) {
    const c = await calibrate(countDown, target);
    const again = (await repeat(() => countDown(c.n), { runs: 5, warmup: 0 })).median;
    rows.push([`calibrate(${target} ms)`, `n=${c.n} in ${c.rounds} rounds; re-measured median ${again.toFixed(1)} ms (${((again / target) * 100).toFixed(0)}% of target)`]);
  }
  const idle = eventLoopLag({ resolutionMs: 2 });
  await sleep(500);
  const idleLag = idle.stop();
  rows.push(["idle loop lag", `mean ${idleLag.meanMs.toFixed(2)} ms over ${idleLag.count} samples`]);
  const waiting = await measureLag(() => sleep(150));
  const blocking = await measureLag(() => blockingSleep(150));
  rows.push(["lag during sleep(150)", `max ${waiting.lag.maxMs.toFixed(1)} ms`]);
  rows.push(["lag during blockingSleep(150)", `max ${blocking.lag.maxMs.toFixed(1)} ms`]);
  const watch = watchEventLoop(new Timeline());
  await sleep(500);
  rows.push(["free loop, longest gap between 10 ms ticks", `${watch.stop().maxGapMs.toFixed(1)} ms`]);
  const settle: number[] = [];
  for (let i = 0; i < 20; i++) {
    const ac = new AbortController();
    const slept: Promise<number> = sleep(60_000, { signal: ac.signal }).then(() => now(), () => now());
    const t0 = now();
    ac.abort();
    settle.push((await slept) - t0);
  }
  rows.push(["aborted sleep(60 s) settles after", `median ${[...settle].sort((a, b) => a - b)[10]!.toFixed(3)} ms`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`timers on ${os.availableParallelism()} cores, load average ${load}, Node ${process.versions.node}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
