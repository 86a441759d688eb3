import { now } from "../measure/clock";
import { LiveDisplay } from "./display";

/** A running progress bar; see {@link progress}. */
export interface Progress {
  /** Counts `n` more items done (default 1). */
  tick(n?: number): void;
  /** Draws the final state and releases the display. Safe to call twice. */
  done(): void;
  /** Items done so far. */
  readonly count: number;
}

const BAR_WIDTH = 30;
const REDRAW_EVERY_MS = 100; // ~10 redraws a second: smooth, without flooding the kernel

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

/**
 * A live progress bar for long benchmarks: in a notebook it updates one
 * output in place, in a terminal one line. Redraws at most ~10 times a second,
 * so ticking in a tight loop is cheap.
 *
 * @example
 * ```ts
 * import { progress, sleep } from "concurrency-lab";
 * const bar = progress(20, "downloads");
 * for (let i = 0; i < 20; i++) { await sleep(50); bar.tick(); }
 * bar.done(); // downloads [██████████████████████████████] 20/20 100% 1.0 s
 * ```
 */
export function progress(total: number, label = "progress"): Progress {
  if (typeof total !== "number" || !Number.isInteger(total)) throw new TypeError(`total must be an integer, got ${String(total)}`);
  if (total < 1) throw new RangeError(`total must be >= 1, got ${total}`);
  if (typeof label !== "string") throw new TypeError("label must be a string");
  const live = new LiveDisplay();
  const started = now();
  let count = 0;
  let lastDraw = -Infinity;
  let finished = false;

  const draw = () => {
    lastDraw = now();
    const fraction = Math.min(1, count / total);
    const filled = Math.round(fraction * BAR_WIDTH);
    const seconds = ((lastDraw - started) / 1000).toFixed(1);
    const status = `${count}/${total} ${Math.round(fraction * 100)}% ${seconds} s`;
    live.update({
      "text/plain": `${label} [${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}] ${status}`,
      "text/html":
        `<div style="font-family:monospace">${escapeHtml(label)} ` +
        `<progress value="${count}" max="${total}" style="width:20em;vertical-align:middle"></progress> ${status}</div>`,
    });
  };

  draw();
  return {
    tick(n = 1) {
      if (typeof n !== "number" || !Number.isFinite(n) || n < 0) throw new RangeError(`n must be a finite number >= 0, got ${String(n)}`);
      if (finished) return;
      count = Math.min(total, count + n);
      if (count === total || now() - lastDraw >= REDRAW_EVERY_MS) draw();
    },
    done() {
      if (finished) return;
      finished = true;
      draw();
      live.close();
    },
    get count() {
      return count;
    },
  };
}
