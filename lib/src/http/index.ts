/** HTTP: the slow server (gunicorn -w 3 in a child process) and the client strategies of the lecture. */
export * from "./images";
export * from "./slow-server";
export * from "./connection-count";
export * from "./undici-agent";
export * from "./http-clients";
export * from "./download";
