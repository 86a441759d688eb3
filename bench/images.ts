/**
 * npm run bench:images: how long a thumbnail blocks the event loop with jimp
 * (JavaScript on this thread) and with sharp (libvips on libuv's threads), the
 * figure the unit test no longer asserts (it checks structure only: the loop
 * turns during sharp and not during jimp). For a few image sizes, prints each
 * engine's median call time and its median longest loop block over several
 * calls, with the load average. Nothing here passes or fails.
 */
import * as os from "node:os";
import { eventLoopLag, generateImage, makeThumbnail, makeThumbnailSharp, now, sleep } from "concurrency-lab";

const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function blockOf(work: () => Promise<unknown>): Promise<{ callMs: number; blockMs: number }> {
  const lag = eventLoopLag({ resolutionMs: 2 });
  await sleep(10);
  const t0 = now();
  await work();
  const callMs = now() - t0;
  await sleep(10);
  return { callMs, blockMs: lag.stop().maxMs };
}

async function main(): Promise<void> {
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}, ${os.availableParallelism()} cores`);
  console.log("side  engine  call (median)  longest loop block (median)  block / call");
  for (const side of [256, 768, 1536]) {
    const input = generateImage(side, "jpeg");
    await makeThumbnailSharp(input, 128); // load and warm both engines
    await makeThumbnail(input, 128);
    for (const [engine, make] of [["jimp", makeThumbnail], ["sharp", makeThumbnailSharp]] as const) {
      const runs: { callMs: number; blockMs: number }[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await blockOf(() => make(input, 128)));
      const call = median(runs.map((r) => r.callMs));
      const block = median(runs.map((r) => r.blockMs));
      console.log(
        `${String(side).padStart(4)}  ${engine.padEnd(6)}  ${call.toFixed(1).padStart(10)} ms  ` +
          `${block.toFixed(1).padStart(24)} ms  ${((100 * block) / call).toFixed(0).padStart(10)}%`,
      );
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
