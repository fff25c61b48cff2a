import { realpathSync } from 'node:fs';
import { openWorkspace } from '../../../src/workflows/open-workspace.js';
import type { Workspace } from '../../../src/workspace.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';

export interface WorktreeFixture {
  repo: TempRepo;
  ws: Workspace;
  /** The repository's real path (git reports worktree paths resolved). */
  root: string;
  /** `git -C <dir> ...` */
  gitIn(dir: string, ...args: string[]): string;
}

/** A temp repository with an optional `.crewtree/config.yaml`, opened as a workspace. */
export async function worktreeFixture(configYaml?: string): Promise<WorktreeFixture> {
  const repo = tempRepo();
  repo.write('.gitignore', '.worktrees/\nnode_modules/\n');
  repo.write('src/app.js', 'export const app = 1;\n');
  repo.write('src/old.js', 'export const old = 1;\n');
  if (configYaml !== undefined) repo.write('.crewtree/config.yaml', configYaml);
  repo.commitAll('chore: project');
  const ws = await openWorkspace(repo.dir, { env: { PATH: process.env.PATH } });
  return {
    repo,
    ws,
    root: realpathSync(repo.dir),
    gitIn: (dir, ...args) => repo.git('-C', dir, ...args),
  };
}
