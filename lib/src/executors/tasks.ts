import fetch from "node-fetch";
import { taskFrom } from "./task";

/**
 * Sum of i*i for i from 0 to n-1: pure CPU work with a tiny result.
 *
 * @example
 * ```ts
 * sumOfSquares(4); // 0 + 1 + 4 + 9 = 14
 * ```
 */
export function sumOfSquares(n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += i * i;
  return sum;
}

/**
 * True if n is a prime (trial division up to √n, as in the documents).
 *
 * @example
 * ```ts
 * isPrime(97); // true
 * ```
 */
export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

/**
 * How many primes lie in [start, end): CPU work that splits into ranges.
 *
 * @example
 * ```ts
 * countPrimes(0, 100); // 25
 * ```
 */
export function countPrimes(start: number, end: number): number {
  let count = 0;
  for (let n = start; n < end; n++) if (isPrime(n)) count++;
  return count;
}

/**
 * Downloads a URL's body as text (node-fetch); rejects on a non-2xx status.
 *
 * @example
 * ```ts
 * await fetchText("http://localhost:8000/delay/100");
 * ```
 */
export async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status} ${response.statusText}`);
  return response.text();
}

/**
 * Returns its argument: the empty task, for measuring a pool's overhead.
 *
 * @example
 * ```ts
 * echo(42); // 42
 * ```
 */
export function echo<T>(x: T): T {
  return x;
}

/**
 * The built-in tasks, ready for `pool.submit` / `pool.map`. Workers load them
 * from the compiled lib (lib/dist), so they work in both pools.
 *
 * @example
 * ```ts
 * const pool = new ProcessPoolExecutor({ maxWorkers: 2 });
 * await pool.submit(tasks.countPrimes, 0, 1_000_000); // 78498
 * await pool.submit(tasks.blockingSleep, 100);         // blocks a child for 100 ms
 * ```
 */
export const tasks = {
  sumOfSquares: taskFrom<[n: number], number>(__filename, "sumOfSquares"),
  countPrimes: taskFrom<[start: number, end: number], number>(__filename, "countPrimes"),
  isPrime: taskFrom<[n: number], boolean>(__filename, "isPrime"),
  blockingSleep: taskFrom<[ms: number], void>(require.resolve("../measure/timers"), "blockingSleep"),
  fetchText: taskFrom<[url: string], string>(__filename, "fetchText"),
  echo: taskFrom<[x: unknown], unknown>(__filename, "echo"),
};
