/**
 * The checks of what a reader sees, on fake notebook outputs (no kernel needed).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { barChart, renderSvg } from "concurrency-lab";
import { formatProblems, readerProblems, type NotebookLike } from "../../tools/reader-checks";

const display = (data: Record<string, unknown>) => ({ output_type: "display_data", data });
const notebook = (...outputs: { output_type: string; text?: string | string[]; data?: Record<string, unknown> }[]): NotebookLike => ({
  cells: [{ cell_type: "markdown" }, { cell_type: "code", outputs }],
});
const problems = (nb: NotebookLike) => readerProblems(nb).map((p) => `${p.cell} ${p.mime} ${p.problem.split(":")[0]}`);

test("clean outputs pass: numbers, words that contain NaN or undefined, an uncut chart", async () => {
  const svg = await renderSvg(barChart([{ label: "ProcessPoolExecutor (4 workers)", value: 1.2 }]));
  const nb = notebook(
    { output_type: "stream", text: ["threads: 1.20 s\n", "the promise is undefined until awaited\n"] },
    display({ "text/plain": "way   ms\ngather  12", "text/html": "<table><tr><td>Nancy</td><td>12</td></tr></table>" }),
    display({ "image/svg+xml": svg, "text/plain": "Time per strategy" }),
  );
  assert.equal(readerProblems(nb), []);
});

test("[object Object] in text, HTML or SVG is found, with its cell and MIME type", () => {
  const nb = notebook(
    display({ "text/plain": "way     ms\ngather  [object Object]", "text/html": "<td>[object Object]</td>" }),
    { output_type: "stream", text: "result: [object Promise]\n" },
  );
  assert.equal(problems(nb), [
    '2 text/plain "[object Object]"',
    '2 text/html "[object Object]"',
    '2 text/plain "[object Object]"',
  ]);
});

test("NaN anywhere, and undefined next to a unit or alone in a table cell, are found", () => {
  const nb = notebook(
    { output_type: "stream", text: "median NaN ms\n" },
    { output_type: "stream", text: "took undefined s on undefined cores\n" },
    display({ "text/html": '<table><tr><td style="text-align:left">gather</td><td style="text-align:right">undefined</td></tr></table>' }),
    display({ "image/svg+xml": '<svg><path d="M0,NaN"/></svg>' }),
  );
  assert.equal(problems(nb), [
    "2 text/plain NaN",
    "2 text/plain undefined where a number belongs",
    "2 text/plain undefined where a number belongs",
    "2 text/html an empty value in a table cell (undefined or null)",
    "2 image/svg+xml NaN",
  ]);
});

test("a chart label cut with … is found; a label vega hid (opacity 0) is not", () => {
  const svg = [
    '<svg><g><text text-anchor="end" transform="translate(-7,12)" opacity="1">wait 0.3 s, return n*…</text>',
    '<text opacity="0">1,100,00…</text><text>whole label</text></g></svg>',
  ].join("");
  const found = readerProblems(notebook(display({ "image/svg+xml": svg })));
  assert.is(found.length, 1);
  assert.match(found[0]!.problem, /cut with "…": "wait 0\.3 s, return n\*…"/);
  assert.match(formatProblems(found), /^cell 2 \(image\/svg\+xml\): a chart label cut/);
});

test.run();
