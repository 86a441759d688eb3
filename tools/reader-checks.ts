/**
 * Checks of what a reader sees: the outputs of an executed notebook, read as
 * text, HTML and SVG, for values that mean a bug in the code that printed
 * them. Used by the notebook test after each notebook runs.
 */

/** One thing a reader would see that they should not. */
export interface ReaderProblem {
  /** 1-based cell number, as the handouts script and the notebook test count cells. */
  cell: number;
  /** The output's MIME type (stream text counts as text/plain). */
  mime: string;
  problem: string;
  /** The text around the problem. */
  excerpt: string;
}

type Multiline = string | string[];
interface Output {
  output_type: string;
  text?: Multiline;
  data?: Record<string, unknown>;
}
/** The part of an .ipynb these checks read. */
export interface NotebookLike {
  cells: { cell_type: string; outputs?: Output[] }[];
}

const CHECKED = ["text/plain", "text/html", "image/svg+xml"];
// Units a number is printed with in these notebooks; "NaN ms" or "undefined s" is a number gone wrong.
const UNIT = String.raw`(?:ms|s|µs|us|ns|%|x|×|MB|MiB|KB|KiB|GB|GiB|B|bytes|cores?|workers?|tasks?|runs?|requests?|req/s|ops/s)`;

const rules: { problem: string; pattern: RegExp; mimes?: string[] }[] = [
  { problem: '"[object Object]": an object printed as text', pattern: /\[object \w+\]/g },
  { problem: "NaN: a number that was never computed", pattern: /(?<![\w$.])NaN(?![\w$])/g },
  { problem: "undefined where a number belongs", pattern: new RegExp(String.raw`\bundefined\s*${UNIT}(?![\w/])`, "g") },
  {
    problem: "an empty value in a table cell (undefined or null)",
    pattern: /<td\b[^>]*>\s*(?:undefined|null)\s*<\/td>/g,
    mimes: ["text/html"],
  },
];

function textOf(x: unknown): string {
  if (typeof x === "string") return x;
  if (Array.isArray(x)) return x.join("");
  return "";
}

function excerpt(text: string, index: number, length: number): string {
  const from = Math.max(0, index - 60);
  const to = Math.min(text.length, index + length + 60);
  return (from > 0 ? "…" : "") + text.slice(from, to).replace(/\s+/g, " ") + (to < text.length ? "…" : "");
}

/** The visible <text> elements of an SVG (vega hides overlapping tick labels with opacity 0). */
function svgLabels(svg: string): { text: string; index: number }[] {
  const labels: { text: string; index: number }[] = [];
  for (const m of svg.matchAll(/<text\b([^>]*)>([\s\S]*?)<\/text>/g)) {
    if (/\sopacity="0"/.test(m[1]!)) continue;
    labels.push({ text: m[2]!.replace(/<[^>]+>/g, "").trim(), index: m.index! + m[0].indexOf(">") + 1 });
  }
  return labels;
}

/** The problems in one output text of one MIME type (exported for tests). */
export function problemsInText(text: string, mime: string, cell = 0): ReaderProblem[] {
  const found: ReaderProblem[] = [];
  for (const rule of rules) {
    if (rule.mimes && !rule.mimes.includes(mime)) continue;
    for (const m of text.matchAll(rule.pattern)) {
      found.push({ cell, mime, problem: rule.problem, excerpt: excerpt(text, m.index!, m[0].length) });
    }
  }
  if (mime === "image/svg+xml") {
    for (const label of svgLabels(text)) {
      if (label.text.endsWith("…") || label.text.endsWith("&#8230;")) {
        found.push({ cell, mime, problem: `a chart label cut with "…": "${label.text}"`, excerpt: excerpt(text, label.index, label.text.length) });
      }
    }
  }
  return found;
}

/**
 * Every problem a reader would see in the outputs of an executed notebook:
 * "[object Object]", NaN, `undefined` where a number belongs (next to a unit,
 * or alone in a table cell), and chart labels cut with "…". Reads stream text
 * and the text/plain, text/html and image/svg+xml representations.
 *
 * @example
 * ```ts
 * const nb = JSON.parse(readFileSync("build/handouts/02-async-cheatsheet.ipynb", "utf8"));
 * for (const p of readerProblems(nb)) console.log(`cell ${p.cell} (${p.mime}): ${p.problem}: ${p.excerpt}`);
 * ```
 */
export function readerProblems(nb: NotebookLike): ReaderProblem[] {
  const found: ReaderProblem[] = [];
  nb.cells.forEach((cell, i) => {
    for (const out of cell.outputs ?? []) {
      if (out.output_type === "stream") found.push(...problemsInText(textOf(out.text), "text/plain", i + 1));
      for (const mime of CHECKED) {
        const text = textOf(out.data?.[mime]);
        if (text) found.push(...problemsInText(text, mime, i + 1));
      }
    }
  });
  return found;
}

/** The problems as lines for a test failure message. */
export function formatProblems(problems: readonly ReaderProblem[]): string {
  return problems.map((p) => `cell ${p.cell} (${p.mime}): ${p.problem}\n    ${p.excerpt}`).join("\n");
}
