/** Measuring: one clock for every thread and process, timers, timelines, the machine, the event loop's lag, and the measurement protocol (experiments, bounds, noise, verdicts, results). */
export * from "./clock";
export * from "./timeline";
export * from "./timers";
export * from "./machine";
export * from "./loop-watch";
export * from "./stall-watch";
export * from "./estimate";
export * from "./thread-cpu";
export * from "./rejections";
export * from "./cpu-accounting";
export * from "./machine-noise";
export * from "./bounds";
export * from "./verdict";
export * from "./experiment";
export * from "./results";
export * from "./process-memory";
