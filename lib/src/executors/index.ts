/** Executors: Python's ThreadPoolExecutor and ProcessPoolExecutor for Node (piscina threads, forked children), futures and tasks, and what workers cost. */
export * from "./executor-errors";
export * from "./future";
export * from "./task";
export * from "./tasks";
export * from "./define-task";
export * from "./executor";
export * from "./map-chunks";
export * from "./thread-pool";
export * from "./process-pool";
export * from "./echo-peer";
export * from "./libuv-queue";
export * from "./worker-memory";
export * from "./startup-cost";
export * from "./worker-costs";
export * from "./map-with";
export * from "./timed-tasks";
export * from "./libuv-pool";
