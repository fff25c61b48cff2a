// The gate: the owner's build and test commands, and the paths a role may change.
export { runGate, type GateRequest, type GateResult, type GateFailure } from './run-gate.js';
export { filesOutsidePaths } from './allowed-paths.js';
