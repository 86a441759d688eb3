import { textWidth } from "concurrency-lab";

/** One visible <text> of a vega SVG, placed in the SVG's own coordinates. */
export interface SvgText {
  text: string;
  /** Box of the drawn text: left, right, top, bottom (px), from font metrics. */
  box: { left: number; right: number; top: number; bottom: number };
  /** True for a text turned by a rotate() (axis titles): its box is not computed. */
  rotated: boolean;
  /** The classes of the innermost mark group holding it, e.g. "mark-text role-axis-label". */
  group: string;
  fill: string;
}

const unescape = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");

/**
 * Every visible <text> of a vega SVG (not those vega hid with opacity 0) with its absolute position, following the
 * translate() of the groups around it (vega writes no other transform on groups).
 */
export function svgTexts(svg: string): SvgText[] {
  const out: SvgText[] = [];
  const stack: { x: number; y: number; group: string }[] = [{ x: 0, y: 0, group: "" }];
  const tags = /<(\/?)(g|text)\b([^>]*)>/g;
  for (let m = tags.exec(svg); m; m = tags.exec(svg)) {
    const [, closing, tag, attrs] = m;
    const top = stack[stack.length - 1]!;
    if (tag === "g") {
      if (closing) stack.pop();
      else if (!attrs.endsWith("/")) {
        const t = /transform="translate\(([-\d.e]+),([-\d.e]+)\)"/.exec(attrs);
        const cls = /class="([^"]*)"/.exec(attrs)?.[1];
        stack.push({ x: top.x + Number(t?.[1] ?? 0), y: top.y + Number(t?.[2] ?? 0), group: cls?.startsWith("mark-") ? cls : top.group });
      }
      continue;
    }
    if (closing) continue;
    const end = svg.indexOf("</text>", tags.lastIndex);
    const text = unescape(svg.slice(tags.lastIndex, end).replace(/<[^>]+>/g, ""));
    tags.lastIndex = end;
    if (/\sopacity="0"/.test(attrs)) continue; // hidden by vega (overlapping tick labels)
    const t = /transform="translate\(([-\d.e]+),([-\d.e]+)\)/.exec(attrs);
    const x = top.x + Number(t?.[1] ?? 0);
    const y = top.y + Number(t?.[2] ?? 0);
    const fontSize = Number(/font-size="([\d.]+)px"/.exec(attrs)?.[1] ?? 11);
    const fontWeight = /font-weight="([^"]+)"/.exec(attrs)?.[1];
    const anchor = /text-anchor="(\w+)"/.exec(attrs)?.[1] ?? "start";
    const w = textWidth(text, { fontSize, fontWeight });
    const left = anchor === "end" ? x - w : anchor === "middle" ? x - w / 2 : x;
    // The transform places the baseline: the text reaches about 0.8 em above it and 0.2 em below.
    out.push({
      text,
      box: { left, right: left + w, top: y - 0.8 * fontSize, bottom: y + 0.2 * fontSize },
      rotated: /rotate\(/.test(attrs),
      group: top.group,
      fill: /fill="([^"]+)"/.exec(attrs)?.[1] ?? "",
    });
  }
  return out;
}

/** Pairs of texts whose boxes overlap (or come closer than `gap` px side by side). */
export function overlapping(texts: readonly SvgText[], gap = 0): [string, string][] {
  const pairs: [string, string][] = [];
  texts.forEach((a, i) =>
    texts.slice(i + 1).forEach((b) => {
      const apartX = a.box.right + gap <= b.box.left || b.box.right + gap <= a.box.left;
      const apartY = a.box.bottom <= b.box.top || b.box.bottom <= a.box.top;
      if (!apartX && !apartY) pairs.push([a.text, b.text]);
    }),
  );
  return pairs;
}
