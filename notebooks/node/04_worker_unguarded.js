// DELIBERATELY BROKEN: a script that starts a worker thread running ITS OWN FILE, with no check
// of which role it plays. new Worker(file) runs all of the file's top-level code in the new thread,
// so every thread starts one more thread. A fuse stops it after five generations; without the fuse
// it would go on until memory runs out. 04_worker_guarded.js is the fixed version.
// Run alone: node 04_worker_unguarded.js
const { Worker, isMainThread, threadId, workerData } = require("node:worker_threads");

const generation = isMainThread ? 0 : workerData.generation;
const where = isMainThread ? "the main thread" : `thread ${threadId}`;
console.log(`top-level code running in ${where}, generation ${generation}`);
if (generation < 5) {
  new Worker(__filename, { workerData: { generation: generation + 1 } }); // meant to run once
} else {
  console.log("fuse blown: without it, every new thread would start one more, for ever");
}
