/** Lifecycle: re-run safety (`track`, `closeTracked`) and children that exit with their parent (`exitWithParent`, `tieToParent`, `startCli`). */
export * from "./track";
export * from "./parent-death";
export * from "./start-cli";
