/**
 * npm run bench:queue: job throughput and per-job latency of the QueueExecutor
 * (BullMQ on a private Redis, worker processes over TCP) against the
 * ProcessPoolExecutor (forked children, IPC), at 1, 2 and 4 workers, with ratios.
 *
 * Throughput: JOBS empty jobs (tasks.echo) submitted at once; jobs per second
 * from the median run. Latency: LATENCY_JOBS empty jobs one after the other
 * (submit, await the result, next); the median run's time per job.
 *
 * Both are measured with the lib's protocol (`experiment`): at each worker
 * count the pool and the queue run interleaved (pool, queue, pool, queue, ...)
 * after a warm-up round, for several rounds within a time budget, so a change
 * in the machine's speed hits both alike. Both pools are started and warmed
 * before timing: start-up counts for neither. The protocol judges each ratio
 * from the rounds (faster, slower, too noisy to tell) and reads the machine's
 * noise. An empty job is pure overhead, so these ratios have no physical
 * bound to check against: only the spread of the rounds decides whether a
 * difference counts.
 */
import * as os from "node:os";
import {
  ProcessPoolExecutor, QueueExecutor, experiment, formatRatio, redisAvailable, startRedis, tasks,
  type Experiment,
} from "concurrency-lab";

const JOBS = 1000;
const LATENCY_JOBS = 100;
const WORKERS = [1, 2, 4];
const BUDGET_MS = 2500;

type Pool = ProcessPoolExecutor | QueueExecutor;

const atOnce = (pool: Pool) => () => Promise.all(Array.from({ length: JOBS }, (_, i) => pool.submit(tasks.echo, i)));
const oneByOne = (pool: Pool) => async () => {
  for (let i = 0; i < LATENCY_JOBS; i++) await pool.submit(tasks.echo, i);
};

/**
 * The queue against the pool in one experiment: the queue's speed over the pool's (`speed`, below 1:
 * slower), its time over the pool's (`time`, above 1: slower), and the protocol's flag when it has one.
 */
function judged(e: Experiment): { speed: string; time: string; flag: string } {
  const r = e.ratios[0]!;
  return { speed: formatRatio(r.speedup), time: formatRatio(1 / r.speedup), flag: r.suspect ? r.outcome : "" };
}

async function main(): Promise<void> {
  const redisCheck = redisAvailable();
  if (!redisCheck.ok) {
    console.error(`bench:queue needs Redis: ${redisCheck.how}. ${redisCheck.fix}`);
    process.exit(1);
  }
  const redis = await startRedis({ url: null });
  const cores = os.availableParallelism();
  console.log(`bench:queue on ${cores} cores, Node ${process.version}, Redis ${redis.version}; ` +
    `throughput: ${JOBS} empty jobs at once; latency: ${LATENCY_JOBS} empty jobs one at a time; ` +
    `pool and queue interleaved, ${BUDGET_MS} ms per comparison (at least 3 rounds)`);
  const rows: Record<string, string | number>[] = [];
  const verdicts: string[] = [];
  try {
    for (const workers of WORKERS) {
      const pool = new ProcessPoolExecutor({ maxWorkers: workers });
      const queue = new QueueExecutor({ redis, maxWorkers: workers });
      try {
        await queue.ready();
        await Promise.all(Array.from({ length: workers * 2 }, () => pool.submit(tasks.blockingSleep, 20)));
        const common = { baseline: "pool", budgetMs: BUDGET_MS, collect: false } as const;
        const on = `${workers} worker${workers === 1 ? "" : "s"}`;
        const throughput = await experiment({
          ...common, id: `throughput-${workers}`, question: `${JOBS} empty jobs at once, ${on}`,
          variants: { pool: atOnce(pool), queue: atOnce(queue) },
        });
        const latency = await experiment({
          ...common, id: `latency-${workers}`, question: `${LATENCY_JOBS} empty jobs one at a time, ${on}`,
          variants: { pool: oneByOne(pool), queue: oneByOne(queue) },
        });
        const rate = (v: string) => Math.round(JOBS / (throughput.variants[v]!.medianMs / 1000));
        const perJob = (v: string) => (latency.variants[v]!.medianMs / LATENCY_JOBS).toFixed(3);
        const t = judged(throughput);
        const l = judged(latency);
        rows.push({
          workers,
          "pool jobs/s": rate("pool"),
          "queue jobs/s": rate("queue"),
          "queue/pool jobs/s": t.speed,
          "pool ms/job": perJob("pool"),
          "queue ms/job": perJob("queue"),
          "queue/pool ms/job": l.time,
          rounds: `${throughput.rounds}, ${latency.rounds}`,
          flag: [t.flag && `throughput ${t.flag}`, l.flag && `latency ${l.flag}`].filter(Boolean).join("; "),
        });
        for (const e of [throughput, latency]) verdicts.push(`${e.question}: ${e.ratios[0]!.verdict}`);
        verdicts.push(`  (${throughput.noiseText})`);
      } finally {
        await Promise.all([pool.shutdown(), queue.shutdown()]);
      }
    }
  } finally {
    await redis.close();
  }
  console.table(rows);
  console.log("queue/pool jobs/s below 1 and queue/pool ms/job above 1 both mean the queue is slower. " +
    "An empty job is pure overhead: no physical bound applies, the rounds' spread decides what counts.");
  for (const line of verdicts) console.log(line);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
