/**
 * The one bridge between the lib and the tslab kernel's display channel.
 *
 * tslab's public `display` API sends one MIME type per output. A chart must
 * travel as one output with several representations (vega-lite for JupyterLab,
 * SVG for HTML/PDF exports, text for terminals), so this module talks to the
 * kernel's own `writeDisplayData` function, the one tslab's public API wraps.
 * It finds it in the module cache, where the running kernel loaded it, so the
 * lib works with whichever tslab install started the kernel.
 */

/** A Jupyter MIME bundle: MIME type to content (strings; binary as base64). */
export type MimeBundle = Record<string, string | object>;

type WriteDisplayData = (
  data: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id?: string } },
  update: boolean,
) => void;

function kernelWriter(): WriteDisplayData | null {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) {
      const write = (mod?.exports as { lastWriteDisplayData?: WriteDisplayData } | undefined)?.lastWriteDisplayData;
      if (typeof write === "function") return write;
    }
  }
  return null;
}

/**
 * True when running inside a tslab kernel that is executing a cell.
 *
 * @example
 * ```ts
 * import { inKernel } from "concurrency-lab";
 * if (!inKernel()) console.log("plain Node: charts print as text");
 * ```
 */
export function inKernel(): boolean {
  return kernelWriter() !== null;
}

/**
 * Displays one output carrying every representation in `bundle`. Outside a
 * kernel, prints the `text/plain` entry (if any) to stdout.
 *
 * @example
 * ```ts
 * import { displayBundle } from "concurrency-lab";
 * displayBundle({ "text/html": "<b>hi</b>", "text/plain": "hi" });
 * ```
 */
export function displayBundle(bundle: MimeBundle): void {
  if (Object.keys(bundle).length === 0) throw new TypeError("displayBundle: bundle is empty");
  const write = kernelWriter();
  if (write) {
    write({ data: bundle, metadata: {}, transient: {} }, false);
  } else if (typeof bundle["text/plain"] === "string") {
    console.log(bundle["text/plain"]);
  }
}

/**
 * A display that can be overwritten in place (a progress bar, a live table).
 * Outside a kernel, `update` rewrites one terminal line when stdout is a TTY
 * and otherwise prints only the final state on `close()`.
 *
 * @example
 * ```ts
 * const live = new LiveDisplay();
 * for (let i = 1; i <= 3; i++) live.update({ "text/plain": `step ${i}/3` });
 * live.close();
 * ```
 */
export class LiveDisplay {
  readonly id = `cl-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  #shown = false;
  #last: MimeBundle | null = null;

  update(bundle: MimeBundle): void {
    this.#last = bundle;
    const write = kernelWriter();
    if (write) {
      write({ data: bundle, metadata: {}, transient: { display_id: this.id } }, this.#shown);
      this.#shown = true;
    } else if (process.stdout.isTTY && typeof bundle["text/plain"] === "string") {
      process.stdout.write(`\r\x1b[2K${bundle["text/plain"]}`);
      this.#shown = true;
    }
  }

  /** Ends the display; in a terminal, finishes the line or prints the last state. */
  close(): void {
    if (kernelWriter()) return;
    if (this.#shown) process.stdout.write("\n");
    else if (this.#last && typeof this.#last["text/plain"] === "string") console.log(this.#last["text/plain"]);
    this.#shown = false;
  }
}
