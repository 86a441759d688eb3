/**
 * A connection pool for Node's built-in `fetch`. The built-in fetch is
 * undici's; it ignores node-fetch's `agent` option and takes a `dispatcher`
 * instead, which must be an undici `Agent`. Node (20 to 26, checked) does not
 * expose that class: it comes from the `undici` package on npm.
 */

/** The part of an undici `Agent` this kit uses: pass it as `fetch(url, { dispatcher })`. */
export interface UndiciAgent {
  dispatch(...args: never[]): unknown;
  close(): Promise<void>;
  destroy(): Promise<void>;
}

/** What {@link undiciAgent} gives: an agent, or why there is none. */
export type UndiciAgentResult =
  | { agent: UndiciAgent; version: string; reason?: undefined }
  | { agent: null; version: null; reason: string };

/** Options of {@link undiciAgent} (a subset of undici's `Agent` options). */
export interface UndiciAgentOptions {
  /** Most connections per origin (like `maxSockets` of an `http.Agent`); default: no limit. */
  connections?: number;
  /** How long an idle connection stays open, in ms (undici's default is 4,000). */
  keepAliveTimeout?: number;
}

/**
 * Makes an undici `Agent` (a connection pool) for the built-in `fetch`, from
 * the `undici` package if it is installed (undici 7 works with the fetch of
 * Node 20 to 26; undici 8 needs Node 22.19+). Returns `{ agent: null, reason }`
 * when the package is missing, so a notebook can say so instead of failing.
 * Close the agent when done (`await agent.close()`), as `agent.destroy()` for
 * an `http.Agent`.
 *
 * @example
 * ```ts
 * import { undiciAgent } from "concurrency-lab";
 * const pool = undiciAgent({ connections: 10 });
 * if (pool.agent) {
 *   const r = await fetch("http://127.0.0.1:8000/json", { dispatcher: pool.agent } as RequestInit);
 *   await pool.agent.close();
 * } else console.log(pool.reason);
 * ```
 */
export function undiciAgent(opts: UndiciAgentOptions = {}): UndiciAgentResult {
  const { connections, keepAliveTimeout } = opts;
  if (connections !== undefined && (!Number.isInteger(connections) || connections < 1)) {
    throw new RangeError(`undiciAgent: connections must be an integer >= 1, got ${String(connections)}`);
  }
  if (keepAliveTimeout !== undefined && !(keepAliveTimeout > 0)) {
    throw new RangeError(`undiciAgent: keepAliveTimeout must be > 0, got ${String(keepAliveTimeout)}`);
  }
  let undici: { Agent: new (o: object) => UndiciAgent };
  let version: string;
  try {
    undici = require("undici") as typeof undici;
    version = (require("undici/package.json") as { version: string }).version;
  } catch {
    return {
      agent: null,
      version: null,
      reason:
        "the undici package is not installed, and Node does not expose the Agent class its built-in fetch " +
        "needs as a dispatcher (npm install undici@7 adds it)",
    };
  }
  const options: Record<string, number> = {};
  if (connections !== undefined) options.connections = connections;
  if (keepAliveTimeout !== undefined) options.keepAliveTimeout = keepAliveTimeout;
  return { agent: new undici.Agent(options), version };
}
