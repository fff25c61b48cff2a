import { describe, expect, it } from 'vitest';
import { bwrapArgs, exposedFolders, isInside, type SandboxLayout } from '../../../src/sandbox/bwrap-args.js';

const layout: SandboxLayout = {
  worktree: '/home/ann/app/.worktrees/ai/w1/A1-x',
  checkout: '/home/ann/app',
  worktreesFolder: '/home/ann/app/.worktrees',
  commonDir: '/home/ann/app/.git',
  adminDir: '/home/ann/app/.git/worktrees/A1-x',
  branch: { refDir: '/home/ann/app/.git/refs/heads/ai/w1', siblings: ['/home/ann/app/.git/refs/heads/ai/w1/A0-old'], reflog: '/home/ann/app/.git/logs/refs/heads/ai/w1/A1-x' },
  scratch: '/tmp/crewtree-agent-1',
  writable: [],
  home: '/tmp/crewtree-agent-1/home',
  tmp: '/tmp/crewtree-agent-1/tmp',
  hidden: ['/tmp', '/home/ann'],
  exposed: ['/home/ann/.nvm'],
  homeFiles: [{ source: '/home/ann/.gitconfig', target: '/tmp/crewtree-agent-1/home/.gitconfig' }],
  secretFiles: ['/home/ann/app/.env', '/home/ann/app/.worktrees/ai/w1/A1-x/.env'],
  emptyFile: '/tmp/crewtree-agent-1/.crewtree-empty',
  network: 'open',
};

/** The mounts as [option, ...operands], in order. */
function mounts(args: string[]): string[][] {
  const operands: Record<string, number> = { '--ro-bind': 2, '--ro-bind-try': 2, '--bind': 2, '--tmpfs': 1, '--dev': 1, '--proc': 1, '--chdir': 1 };
  const result: string[][] = [];
  for (let i = 0; i < args.length; i++) {
    const option = args[i] ?? '';
    const count = operands[option] ?? 0;
    result.push([option, ...args.slice(i + 1, i + 1 + count)]);
    i += count;
  }
  return result;
}

const indexOf = (list: string[][], ...entry: string[]) => list.findIndex((item) => JSON.stringify(item) === JSON.stringify(entry));

describe('bwrapArgs', () => {
  const args = bwrapArgs(layout);
  const list = mounts(args);

  it('makes its own namespaces, ends with crewtree, and keeps the network open by default', () => {
    expect(args.slice(0, 5)).toEqual(['--die-with-parent', '--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-uts']);
    expect(args).not.toContain('--unshare-net');
    expect(bwrapArgs({ ...layout, network: 'none' })).toContain('--unshare-net');
    expect(args.at(-2)).toBe('--chdir');
    expect(args.at(-1)).toBe(layout.worktree);
  });

  it('starts read-only and hides /tmp, the home and the other worktrees before any writable mount', () => {
    expect(list[indexOf(list, '--ro-bind', '/', '/')]).toBeDefined();
    const root = indexOf(list, '--ro-bind', '/', '/');
    const tmp = indexOf(list, '--tmpfs', '/tmp');
    const home = indexOf(list, '--tmpfs', '/home/ann');
    const nvm = indexOf(list, '--ro-bind', '/home/ann/.nvm', '/home/ann/.nvm');
    const checkout = indexOf(list, '--ro-bind', layout.checkout, layout.checkout);
    const worktrees = indexOf(list, '--tmpfs', layout.worktreesFolder);
    const worktree = indexOf(list, '--bind', layout.worktree, layout.worktree);
    expect([root, tmp, home, nvm, checkout, worktrees, worktree].every((index) => index >= 0)).toBe(true);
    expect(root).toBeLessThan(tmp);
    expect(home).toBeLessThan(nvm);
    expect(nvm).toBeLessThan(checkout);
    expect(checkout).toBeLessThan(worktrees);
    expect(worktrees).toBeLessThan(worktree);
  });

  it('lets git commit: objects, the admin folder, the branch folder and its reflog writable, the rest of .git not', () => {
    const writable = list.filter((entry) => entry[0] === '--bind').map((entry) => entry[1]);
    expect(writable).toEqual([
      layout.scratch,
      layout.worktree,
      '/home/ann/app/.git/objects',
      layout.adminDir,
      '/home/ann/app/.git/refs/heads/ai/w1',
      '/home/ann/app/.git/logs/refs/heads/ai/w1/A1-x',
    ]);
    expect(writable.some((path) => path === layout.commonDir || path?.endsWith('/hooks') || path?.endsWith('/config'))).toBe(false);
  });

  it('plugs the holes read-only after opening them: other branches, the .git file, HEAD and the pointers, .env files', () => {
    const refDir = indexOf(list, '--bind', '/home/ann/app/.git/refs/heads/ai/w1', '/home/ann/app/.git/refs/heads/ai/w1');
    const sibling = indexOf(list, '--ro-bind', '/home/ann/app/.git/refs/heads/ai/w1/A0-old', '/home/ann/app/.git/refs/heads/ai/w1/A0-old');
    expect(refDir).toBeLessThan(sibling);
    const admin = indexOf(list, '--bind', layout.adminDir, layout.adminDir);
    for (const name of ['HEAD', 'commondir', 'gitdir']) expect(indexOf(list, '--ro-bind-try', `${layout.adminDir}/${name}`, `${layout.adminDir}/${name}`)).toBeGreaterThan(admin);
    expect(indexOf(list, '--ro-bind', layout.emptyFile, `${layout.adminDir}/config.worktree`)).toBeGreaterThan(admin);
    const own = mounts(bwrapArgs({ ...layout, worktreeConfig: `${layout.adminDir}/config.worktree` }));
    expect(indexOf(own, '--ro-bind', `${layout.adminDir}/config.worktree`, `${layout.adminDir}/config.worktree`)).toBeGreaterThan(admin);
    const worktree = indexOf(list, '--bind', layout.worktree, layout.worktree);
    expect(indexOf(list, '--ro-bind', `${layout.worktree}/.git`, `${layout.worktree}/.git`)).toBeGreaterThan(worktree);
    for (const file of layout.secretFiles) expect(indexOf(list, '--ro-bind', layout.emptyFile, file)).toBeGreaterThan(worktree);
    const scratch = indexOf(list, '--bind', layout.scratch, layout.scratch);
    expect(indexOf(list, '--ro-bind', '/home/ann/.gitconfig', '/tmp/crewtree-agent-1/home/.gitconfig')).toBeGreaterThan(scratch);
  });

  it('binds a git folder outside the checkout read-only, and does not hide a worktrees folder the worktree is not in', () => {
    const outside = mounts(bwrapArgs({ ...layout, commonDir: '/srv/git/app.git', adminDir: '/srv/git/app.git/worktrees/A1-x', branch: undefined }));
    expect(indexOf(outside, '--ro-bind', '/srv/git/app.git', '/srv/git/app.git')).toBeGreaterThan(-1);
    expect(indexOf(outside, '--bind', '/srv/git/app.git/objects', '/srv/git/app.git/objects')).toBeGreaterThan(-1);
    const elsewhere = mounts(bwrapArgs({ ...layout, worktree: '/srv/work/A1-x' }));
    expect(indexOf(elsewhere, '--tmpfs', layout.worktreesFolder)).toBe(-1);
  });
});

describe('exposedFolders', () => {
  it('keeps visible the first folder under a hidden one that holds a program, and nothing already visible', () => {
    const programs = ['/home/ann/.nvm/versions/node/v22/bin', '/usr/bin', '/tmp/tools-1/bin/mybot', '/home/ann/app/node_modules/.bin', '/home/ann'];
    expect(exposedFolders(programs, ['/tmp', '/home/ann'], ['/home/ann/app'])).toEqual(['/home/ann/.nvm', '/tmp/tools-1']);
  });

  it('isInside compares whole path parts', () => {
    expect(isInside('/home/ann/app', '/home/ann')).toBe(true);
    expect(isInside('/home/ann', '/home/ann')).toBe(true);
    expect(isInside('/home/anna', '/home/ann')).toBe(false);
  });
});
