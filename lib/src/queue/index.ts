/** Queue: past one machine. A private Redis, BullMQ worker processes that connect over TCP, and an executor on them. */
export * from "./redis-server";
export * from "./queue-tasks";
export * from "./run-queue-worker";
export * from "./queue-workers";
export * from "./queue-executor";
