import { tmpdir } from "node:os";
import { join } from "node:path";

/** One display message as the kernel would receive it. */
export type Output = { data: Record<string, unknown>; transient: { display_id?: string }; update: boolean };

/**
 * Runs `fn` as if inside a tslab kernel: the lib's display bridge looks for
 * tslab's jupyter module in the require cache, so a stand-in there records
 * what a kernel would receive.
 */
export async function withFakeKernel(fn: () => unknown): Promise<Output[]> {
  const outputs: Output[] = [];
  const fakePath = join(tmpdir(), "fake-kernel", "node_modules", "tslab", "dist", "jupyter.js");
  const lastWriteDisplayData = (d: Omit<Output, "update">, update: boolean) => void outputs.push({ ...d, update });
  require.cache[fakePath] = { exports: { lastWriteDisplayData } } as unknown as NodeJS.Module;
  try {
    await fn();
  } finally {
    delete require.cache[fakePath];
  }
  return outputs;
}
