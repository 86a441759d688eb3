/**
 * concurrency-lab: the helper library of the Concurrency Lab notebooks.
 * Each module holds one concept; this file only re-exports them.
 */
export * from "./clock";
export * from "./timeline";
export * from "./display";
export * from "./timers";
