/** Measuring: one clock for every thread and process, timers, timelines, the machine, the event loop's lag. */
export * from "./clock";
export * from "./timeline";
export * from "./timers";
export * from "./machine";
export * from "./loop-watch";
