/**
 * concurrency-lab: the helper library of the Concurrency Lab notebooks.
 * One folder per idea of the documents, one concept per file; each folder's index
 * re-exports its modules and this file re-exports the folders.
 */
export * from "./measure";
export * from "./show";
export * from "./executors";
export * from "./sync";
export * from "./race";
export * from "./http";
export * from "./pipelines";
export * from "./queue";
export * from "./lifecycle";
export * from "./python";
export * from "./setup";
