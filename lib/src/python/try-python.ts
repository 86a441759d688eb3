/**
 * Running a Python program where Python is optional: the notebook shows why a
 * Python comparison is missing instead of failing.
 */
import { runPython, type PythonRun, type RunPythonOptions } from "./run-python";

/**
 * {@link runPython}, but a failure (no python3, a non-zero exit, no JSON)
 * prints one line saying why and resolves `null`, so the cell goes on with the
 * Node side alone.
 *
 * @example
 * ```ts
 * import { tryPython } from "concurrency-lab";
 * const run = await tryPython<{ total: number }>("python/01_counter_race.py", [3]);
 * if (run) console.log(run.python, run.result);
 * ```
 */
export async function tryPython<T = unknown>(
  file: string,
  args: readonly (string | number)[] = [],
  opts: RunPythonOptions = {},
): Promise<PythonRun<T> | null> {
  try {
    return await runPython<T>(file, args, opts);
  } catch (error) {
    console.log(`Python skipped: ${(error as Error).message}`);
    return null;
  }
}
