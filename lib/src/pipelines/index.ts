/** Pipelines of the later documents: image and text tasks, the full comparison program. */
export * from "./image-tasks";
export * from "./compare";
export * from "./span-log";
export * from "./slot-lanes";
export * from "./round-variants";
export * from "./worker-costs";
export * from "./loop-lag-variants";
export * from "./thumbnail-batch";
export * from "./map-with";
export * from "./download-resize";
export * from "./settle-timed";
