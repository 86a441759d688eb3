/** Setting up: is this machine ready for the notebooks (notebook 00)? */
export * from "./readiness";
