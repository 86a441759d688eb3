/** Pipelines of the later documents: image and text tasks, thumbnail batches, download-and-resize, the full comparison program. */
export * from "./image-tasks";
export * from "./compare";
export * from "./thumbnail-batch";
export * from "./download-resize";
