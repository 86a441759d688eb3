/**
 * Runs tools/kill_check.py: the real tslab kernel starts notebook 03's CLI demo and notebook 05's pools
 * and slow server, is killed with SIGKILL and then SIGTERM, and no process of the kit may be alive 2 s
 * later; a partial run then Run All in one kernel must leave only the second run's processes, and none
 * after closeTracked(). Skipped with a message when Jupyter or the kernel is missing, except in CI.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { repoRoot } from "../../tools/env";
import { checkJupyter, checkKernel } from "../../tools/prereqs";

const jupyter = checkJupyter();
const kernel = checkKernel();
const inCi = process.env.CI === "true";
const missing =
  process.platform !== "linux"
    ? "it reads /proc, so it runs on Linux only"
    : !jupyter.ok
      ? `${jupyter.name}: ${jupyter.detail}`
      : !kernel.ok
        ? `${kernel.name}: ${kernel.detail}`
        : undefined;
if (missing !== undefined && !inCi) console.log(`  skipping the kill check: ${missing}`);

(missing !== undefined && !inCi ? test.skip : test)("kill check: a killed kernel leaves no process of the kit; re-runs leave only their own", async () => {
  assert.ok(missing === undefined, `${missing} (CI must have Jupyter and the kernel)`);
  const child = spawn(jupyter.python!, [join(repoRoot, "tools", "kill_check.py")], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  const last = out.trim().split("\n").pop() ?? "";
  let report: { ok: boolean; rounds?: { round: string; ok: boolean; alive?: unknown[]; counts?: unknown }[] };
  try {
    report = JSON.parse(last);
  } catch {
    assert.unreachable(`kill_check.py printed no JSON result (exit code ${code}):\n${out}`);
    return;
  }
  for (const round of report.rounds ?? []) {
    console.log(`  ${round.round}: ${round.ok ? "ok" : "FAILED"} ${JSON.stringify(round.alive ? { alive: round.alive.length } : round.counts)}`);
  }
  assert.ok(report.ok && code === 0, `kill check failed (exit code ${code}):\n${out}`);
});

test.run();
