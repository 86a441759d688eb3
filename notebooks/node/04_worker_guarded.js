// The fixed version of 04_worker_unguarded.js: isMainThread tells the two roles apart (Python's
// `if __name__ == "__main__":`). Only the main thread starts the worker; only the worker computes.
// Run alone: node 04_worker_guarded.js
const { Worker, isMainThread, parentPort } = require("node:worker_threads");

if (isMainThread) {
  const worker = new Worker(__filename);
  worker.once("message", (sum) => console.log(`main thread got the result: ${sum}`));
} else {
  let sum = 0; // below 2**53, so every step is exact in a double (up to 1e6 it would not be)
  for (let i = 0; i < 1e5; i++) sum += i * i;
  parentPort.postMessage(sum);
}
