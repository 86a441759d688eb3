/** Showing: vega-lite charts (live in JupyterLab, SVG in exports), tables, span logs, progress, image galleries. */
export * from "./display";
export * from "./image-gallery";
export * from "./charts";
export * from "./log-bar-chart";
export * from "./show";
export * from "./table";
export * from "./span-log";
export * from "./experiment-chart";
export * from "./progress";
export * from "./text-metrics";
