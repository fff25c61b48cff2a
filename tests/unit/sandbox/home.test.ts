import { describe, expect, it } from 'vitest';
import { homeEntries, homeEnv, homeFolders } from '../../../src/sandbox/home.js';

const env = { HOME: '/home/ann' };
const targets = (agent: string, over: Record<string, string> = {}) => homeEntries(agent, { ...env, ...over }).map((entry) => `${entry.source} -> ${entry.target}${entry.copy ? ' (copy)' : ''}`);

describe('the private home', () => {
  it('gives every agent git identity, and each CLI its login and settings only', () => {
    const git = ['/home/ann/.gitconfig -> .gitconfig', '/home/ann/.config/git/config -> .config/git/config', '/home/ann/.config/git/ignore -> .config/git/ignore', '/home/ann/.config/git/attributes -> .config/git/attributes'];
    expect(targets('script')).toEqual(git);
    expect(targets('claude').slice(git.length)).toEqual([
      '/home/ann/.claude/.credentials.json -> .claude/.credentials.json',
      '/home/ann/.claude/settings.json -> .claude/settings.json',
      '/home/ann/.claude/CLAUDE.md -> .claude/CLAUDE.md',
      '/home/ann/.claude/agents -> .claude/agents',
      '/home/ann/.claude/commands -> .claude/commands',
      '/home/ann/.claude/skills -> .claude/skills',
      '/home/ann/.claude.json -> .claude.json (copy)',
    ]);
    expect(targets('codex', { CODEX_HOME: '/srv/codex' }).slice(git.length)).toEqual([
      '/srv/codex/auth.json -> .codex/auth.json',
      '/srv/codex/config.toml -> .codex/config.toml',
      '/srv/codex/AGENTS.md -> .codex/AGENTS.md',
      '/srv/codex/prompts -> .codex/prompts',
      '/srv/codex/rules -> .codex/rules',
    ]);
    expect(targets('opencode').slice(git.length)).toEqual(['/home/ann/.local/share/opencode/auth.json -> .local/share/opencode/auth.json', '/home/ann/.config/opencode -> .config/opencode']);
  });

  it('points HOME, CODEX_HOME and CLAUDE_CONFIG_DIR at the private home and drops XDG folders of the real one', () => {
    expect(homeEnv('codex', env, '/tmp/run/home')).toEqual({
      HOME: '/tmp/run/home',
      CODEX_HOME: '/tmp/run/home/.codex',
      XDG_CONFIG_HOME: undefined,
      XDG_DATA_HOME: undefined,
      XDG_CACHE_HOME: undefined,
      XDG_STATE_HOME: undefined,
    });
    expect(homeEnv('claude', { ...env, CLAUDE_CONFIG_DIR: '/srv/claude' }, '/tmp/run/home')).toMatchObject({ HOME: '/tmp/run/home', CLAUDE_CONFIG_DIR: '/tmp/run/home/.claude' });
    expect(homeEnv('claude', env, '/tmp/run/home')).not.toHaveProperty('CODEX_HOME');
    expect(homeFolders('codex', env)).toEqual(['.codex']);
    expect(homeFolders('script', { ...env, CODEX_HOME: '/srv/codex' })).toEqual(['.codex']);
    expect(homeFolders('claude', env)).toEqual(['.claude']);
  });
});
