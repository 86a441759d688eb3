/**
 * concurrency-lab: the helper library of the Concurrency Lab notebooks.
 * Each module holds one concept; this file only re-exports them.
 */
export * from "./clock";
export * from "./timeline";
export * from "./display";
export * from "./timers";
export * from "./machine";
export * from "./images";
export * from "./image-tasks";
export * from "./image-gallery";
export * from "./loop-watch";
export * from "./slow-server";
export * from "./charts";
export * from "./show";
export * from "./table";
export * from "./mutex";
export * from "./event";
export * from "./semaphore";
export * from "./barrier";
export * from "./async-lock";
export * from "./async-semaphore";
export * from "./async-queue";
export * from "./with-timeout";
export * from "./race";
export * from "./python-race";
export * from "./executor-errors";
export * from "./future";
export * from "./task";
export * from "./tasks";
export * from "./define-task";
export * from "./executor";
export * from "./thread-pool";
export * from "./process-pool";
export * from "./progress";
export * from "./compare";
export * from "./http-clients";
