/** Python beside Node: run a `.py` program and read its JSON result, show a program's source. */
export * from "./run-python";
export * from "./show-source";
export * from "./try-python";
