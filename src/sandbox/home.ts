// The private home of a sandboxed agent: which of the user's files its CLI needs (login and
// settings, bound read-only) and which variables point the CLI at the private copies.
import { join } from 'node:path';

type Env = Record<string, string | undefined>;

/** One login or settings entry: where it is on the host, and where it goes under the private home. */
export interface HomeEntry {
  source: string;
  /** Relative to the private home. */
  target: string;
  /** Copied (the CLI rewrites it in place), rather than bound read-only. */
  copy?: boolean;
}

/** Git's identity and settings: every agent may commit. */
const GIT_FILES = ['.gitconfig', '.config/git/config', '.config/git/ignore', '.config/git/attributes'];

function fromDir(sourceDir: string, targetDir: string, names: readonly string[]): HomeEntry[] {
  return names.map((name) => ({ source: join(sourceDir, name), target: join(targetDir, name) }));
}

/**
 * What each CLI reads from the home: its login and settings, never its history or caches.
 * NOTE: claude rewrites ~/.claude.json at every start and codex its `version.json` and sessions,
 * so those stay writable in the private home (a copy, or nothing) and are dropped after the run.
 */
export function homeEntries(agent: string, env: Env): HomeEntry[] {
  const home = env.HOME ?? '';
  const entries: HomeEntry[] = GIT_FILES.map((name) => ({ source: join(home, name), target: name }));
  switch (agent) {
    case 'claude': {
      const config = env.CLAUDE_CONFIG_DIR ?? join(home, '.claude');
      entries.push(...fromDir(config, '.claude', ['.credentials.json', 'settings.json', 'CLAUDE.md', 'agents', 'commands', 'skills']));
      entries.push({ source: env.CLAUDE_CONFIG_DIR ? join(config, '.claude.json') : join(home, '.claude.json'), target: env.CLAUDE_CONFIG_DIR ? '.claude/.claude.json' : '.claude.json', copy: true });
      break;
    }
    case 'codex':
      entries.push(...fromDir(env.CODEX_HOME ?? join(home, '.codex'), '.codex', ['auth.json', 'config.toml', 'AGENTS.md', 'prompts', 'rules']));
      break;
    case 'gemini':
      entries.push(...fromDir(join(home, '.gemini'), '.gemini', ['settings.json', 'oauth_creds.json', 'google_accounts.json', 'installation_id', 'GEMINI.md']));
      break;
    case 'opencode':
      entries.push({ source: join(env.XDG_DATA_HOME ?? join(home, '.local/share'), 'opencode/auth.json'), target: '.local/share/opencode/auth.json' });
      entries.push({ source: join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'opencode'), target: '.config/opencode' });
      break;
    case 'aider':
      entries.push(...fromDir(home, '', ['.aider.conf.yml', '.aider.model.settings.yml', '.aider.model.metadata.json']));
      break;
    default:
      break;
  }
  return entries;
}

/** Folders the private home must hold before the start: codex refuses a CODEX_HOME that does not exist. */
export function homeFolders(agent: string, env: Env): string[] {
  const folders: string[] = [];
  if (agent === 'codex' || env.CODEX_HOME) folders.push('.codex');
  if (agent === 'claude' || env.CLAUDE_CONFIG_DIR) folders.push('.claude');
  return folders;
}

/** Variables that would send the CLI to the real home, redirected to the private one. */
export function homeEnv(agent: string, env: Env, privateHome: string): Env {
  const changed: Env = { HOME: privateHome, XDG_CONFIG_HOME: undefined, XDG_DATA_HOME: undefined, XDG_CACHE_HOME: undefined, XDG_STATE_HOME: undefined };
  if (agent === 'codex' || env.CODEX_HOME) changed.CODEX_HOME = join(privateHome, '.codex');
  if (env.CLAUDE_CONFIG_DIR) changed.CLAUDE_CONFIG_DIR = join(privateHome, '.claude');
  return changed;
}
