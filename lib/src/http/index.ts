/** HTTP: the slow server (gunicorn -w 3 in a child process) and the client strategies of the lecture. */
export * from "./images";
export * from "./slow-server";
export * from "./connection-count";
export * from "./undici-agent";
export { listenQueue, type ListenQueue } from "./listen-queue";
export { ImageCache } from "./image-cache";
export { RateWindows, rateHeaders, type RateDecision } from "./rate-window";
export * from "./rate-limiter";
export * from "./server-timeline";
export * from "./client-check";
export * from "./lecture-runs";
export * from "./http-clients";
export * from "./blocking-fetch";
export * from "./download";
