/**
 * Counting the TCP connections a client opens: how many in all, and how many
 * were open at the same time. Works for every client built on `node:net`
 * (node-fetch and `http.Agent`, Node's built-in fetch, undici), through the
 * `net.client.socket` diagnostics channel.
 */
import * as diagnostics from "node:diagnostics_channel";
import type { Socket } from "node:net";

/** What {@link countConnections} saw. */
export interface ConnectionCount<T> {
  value: T;
  /** TCP connections opened by this process while `fn` ran. */
  opened: number;
  /** Most of them open at the same moment. */
  mostOpen: number;
}

/**
 * Runs `fn` and counts the TCP client connections this process opened
 * meanwhile, and the most that were open at once. A connection opened before
 * `fn` (a keep-alive socket an agent already holds) is not counted: reusing
 * it is the point of keep-alive. Every connection this process opens counts,
 * so run one client at a time.
 *
 * @example
 * ```ts
 * import { countConnections } from "concurrency-lab";
 * import * as http from "node:http";
 * import fetch from "node-fetch";
 * const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
 * const urls = Array.from({ length: 30 }, () => "http://127.0.0.1:8000/");
 * const c = await countConnections(() => Promise.all(urls.map((u) => fetch(u, { agent }))));
 * console.log(c.opened, c.mostOpen); // at most 10 open at once
 * agent.destroy();
 * ```
 */
export async function countConnections<T>(fn: () => Promise<T> | T): Promise<ConnectionCount<T>> {
  if (typeof fn !== "function") throw new TypeError("countConnections: fn must be a function");
  let opened = 0;
  let open = 0;
  let mostOpen = 0;
  const onSocket = (message: unknown) => {
    const socket = (message as { socket: Socket }).socket;
    opened++;
    mostOpen = Math.max(mostOpen, ++open);
    socket.once("close", () => open--);
  };
  diagnostics.subscribe("net.client.socket", onSocket);
  try {
    const value = await fn();
    return { value, opened, mostOpen };
  } finally {
    diagnostics.unsubscribe("net.client.socket", onSocket);
  }
}
