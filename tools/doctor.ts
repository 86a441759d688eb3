/**
 * `npm run doctor`: checks every piece the notebooks need and prints, for each
 * missing one, the exact command that fixes it. Exits 1 when a required piece
 * is missing.
 */
import { allChecks } from "./prereqs";

function main(): void {
  const checks = allChecks();
  for (const c of checks) {
    const mark = c.ok ? "✓" : c.required ? "✗" : "–";
    console.log(`${mark} ${c.name}: ${c.detail}`);
    if (!c.ok) console.log(`    fix: ${c.fix}`);
  }
  const missing = checks.filter((c) => !c.ok && c.required);
  if (missing.length > 0) {
    console.log(`\nnot ready: ${missing.map((c) => c.name).join(", ")}`);
    process.exitCode = 1;
  } else {
    const optional = checks.filter((c) => !c.ok).map((c) => c.name);
    console.log("\nready: `npm run handouts` and `npm test` can run" + (optional.length === 0 ? "." : ` (missing, optional: ${optional.join("; ")}).`));
  }
}

main();
