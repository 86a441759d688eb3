import { readFileSync } from "node:fs";

/** A listening socket's accept queue, as the kernel reports it. */
export interface ListenQueue {
  /** Connections the kernel has completed and that wait for `accept()` right now. */
  waiting: number;
}

/**
 * Reads the accept queue of the socket listening on TCP `port` from Linux's
 * `/proc/net/tcp` and `/proc/net/tcp6` (for a listening socket the kernel puts
 * the queue length in `rx_queue` and the backlog in `tx_queue`; `ss -lnt`
 * shows the same as Recv-Q and Send-Q). Returns null where there is no
 * `/proc` (macOS, Windows) or no socket listens on that port.
 *
 * This is where a `gunicorn` sync server's waiting requests are: in the
 * kernel, before any worker has accepted them.
 *
 * @example
 * ```ts
 * import { listenQueue } from "concurrency-lab";
 * listenQueue(8000); // { waiting: 6 } while six connections wait
 * ```
 */
export function listenQueue(port: number): ListenQueue | null {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  let waiting = 0;
  let listening = false;
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue ...
      const f = line.trim().split(/\s+/);
      if (f.length < 5 || f[3] !== "0A" || !f[1].endsWith(`:${hexPort}`)) continue;
      waiting += parseInt(f[4].split(":")[1], 16);
      listening = true;
    }
  }
  return listening ? { waiting } : null;
}
