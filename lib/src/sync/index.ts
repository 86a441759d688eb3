/** Synchronisation: thread primitives on SharedArrayBuffer and event-loop primitives (locks, semaphores, queues, timeouts). */
export * from "./mutex";
export * from "./event";
export * from "./semaphore";
export * from "./barrier";
export * from "./async-lock";
export * from "./async-semaphore";
export * from "./async-queue";
export * from "./with-timeout";
export * from "./task-group";
