// Task worktrees: create, set up, inspect, commit and remove them.
export { createTaskWorktree, type TaskWorktreeRequest } from './create.js';
export { setupWorktree, type WorktreeSetup } from './setup.js';
export { removeTaskWorktree } from './remove.js';
export { worktreeState, changedFilesSince, type WorktreeState } from './state.js';
export { commitAllWork, taskCommitMessage, type CommittedWork } from './commit.js';
export { confinedWorktreePath, isValidBranchName } from './confine.js';
export { portRange, portEnv, type PortRange } from './ports.js';
export { readSetupFiles } from './setup-record.js';
