/**
 * npm run bench:queue: job throughput and per-job latency of the QueueExecutor
 * (BullMQ on a private Redis, worker processes over TCP) against the
 * ProcessPoolExecutor (forked children, IPC), at 1, 2 and 4 workers, with ratios.
 *
 * Throughput: JOBS empty jobs (tasks.echo) submitted at once, jobs per second.
 * Latency: one empty job at a time, submit to result, mean over LATENCY_JOBS.
 * Each figure is the median of REPEATS runs; workers are started and warmed
 * before timing, so start-up is left out on both sides alike.
 */
import * as os from "node:os";
import { ProcessPoolExecutor, QueueExecutor, now, redisAvailable, startRedis, tasks } from "concurrency-lab";

const JOBS = 1000;
const LATENCY_JOBS = 200;
const REPEATS = 3;
const WORKERS = [1, 2, 4];

type Pool = ProcessPoolExecutor | QueueExecutor;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(pool: Pool): Promise<{ perSecond: number; latencyMs: number }> {
  const items = Array.from({ length: JOBS }, (_, i) => i);
  await Promise.all(items.slice(0, 50).map((i) => pool.submit(tasks.echo, i))); // warm the path
  const rates: number[] = [];
  const latencies: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    let t0 = now();
    await Promise.all(items.map((i) => pool.submit(tasks.echo, i)));
    rates.push(JOBS / ((now() - t0) / 1000));
    t0 = now();
    for (let i = 0; i < LATENCY_JOBS; i++) await pool.submit(tasks.echo, i);
    latencies.push((now() - t0) / LATENCY_JOBS);
  }
  return { perSecond: median(rates), latencyMs: median(latencies) };
}

async function main(): Promise<void> {
  const redisCheck = redisAvailable();
  if (!redisCheck.ok) {
    console.error(`bench:queue needs Redis: ${redisCheck.how}. ${redisCheck.fix}`);
    process.exit(1);
  }
  const redis = await startRedis();
  const cores = os.availableParallelism();
  console.log(`bench:queue on ${cores} cores, Node ${process.version}, Redis ${redis.version ?? redis.url}; ` +
    `${JOBS} empty jobs at once (throughput) and ${LATENCY_JOBS} one at a time (latency), median of ${REPEATS}`);
  const rows: Record<string, string | number>[] = [];
  try {
    for (const workers of WORKERS) {
      const pool = new ProcessPoolExecutor({ maxWorkers: workers });
      await Promise.all(Array.from({ length: workers * 2 }, () => pool.submit(tasks.blockingSleep, 20)));
      const p = await measure(pool);
      await pool.shutdown();
      const queue = new QueueExecutor({ redis, maxWorkers: workers });
      await queue.ready();
      const q = await measure(queue);
      await queue.shutdown();
      rows.push({
        workers,
        "pool jobs/s": Math.round(p.perSecond),
        "queue jobs/s": Math.round(q.perSecond),
        "queue/pool throughput": (q.perSecond / p.perSecond).toFixed(3),
        "pool latency ms": p.latencyMs.toFixed(3),
        "queue latency ms": q.latencyMs.toFixed(3),
        "queue/pool latency": (q.latencyMs / p.latencyMs).toFixed(2),
      });
    }
  } finally {
    await redis.close();
  }
  console.table(rows);
  console.log(`load average during the run: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} (numbers move on a busy machine)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
