// Whether an agent CLI looks logged in or configured, from its environment variables, crewtree's
// own settings for it and the credential files it keeps: never by sending a prompt anywhere.
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentConfig } from '../config/schema.js';

export interface AgentHealth {
  name: string;
  /** Where the CLI was found, or null when it is not on PATH. */
  path: string | null;
  version: string | null;
  configured: boolean;
  /** What made it look configured, or what is missing and how to fix it. */
  why: string;
}

/** What can be known without running the CLI: its environment and which credential files exist. */
export interface LoginFacts {
  /** The environment the agent would get: crewtree's own, with `agents.<name>.env` over it. */
  env: Record<string, string | undefined>;
  /** `agents.<name>.flags` from crewtree's config. */
  flags: readonly string[];
  /** Credential files that exist, as shown to the user (`~/.codex/auth.json`). */
  files: ReadonlySet<string>;
  /** ~/.claude.json records a logged-in account. */
  claudeAccount: boolean;
}

const set = (env: LoginFacts['env'], name: string) => (env[name] ?? '').trim() !== '';
const firstSet = (env: LoginFacts['env'], names: readonly string[]) => names.find((name) => set(env, name));

type Verdict = Pick<AgentHealth, 'configured' | 'why'>;
const yes = (why: string): Verdict => ({ configured: true, why });
const no = (why: string): Verdict => ({ configured: false, why });

/** Credential files of each CLI, as `[shown name, absolute path]`. */
export function credentialFiles(name: string, env: LoginFacts['env']): [string, string][] {
  const home = env.HOME ?? '';
  const inHome = (path: string): [string, string] => [`~/${path}`, join(home, path)];
  switch (name) {
    case 'claude':
      return env.CLAUDE_CONFIG_DIR ? [['$CLAUDE_CONFIG_DIR/.credentials.json', join(env.CLAUDE_CONFIG_DIR, '.credentials.json')]] : [inHome('.claude/.credentials.json')];
    case 'codex':
      return env.CODEX_HOME ? [['$CODEX_HOME/auth.json', join(env.CODEX_HOME, 'auth.json')]] : [inHome('.codex/auth.json')];
    case 'gemini':
      return [inHome('.gemini/oauth_creds.json')];
    case 'opencode':
      return [[env.XDG_DATA_HOME ? '$XDG_DATA_HOME/opencode/auth.json' : '~/.local/share/opencode/auth.json', join(env.XDG_DATA_HOME ?? join(home, '.local/share'), 'opencode/auth.json')]];
    case 'aider':
      return [inHome('.aider.conf.yml')];
    default:
      return [];
  }
}

/** A codex model provider given in crewtree's flags (`-c model_provider=X` with X's `env_key`). */
export function codexProviderOf(flags: readonly string[]): { name: string; envKey?: string } | undefined {
  const name = flags.map((flag) => /^model_provider\s*=\s*"?([\w-]+)"?$/.exec(flag)?.[1]).find((found) => found !== undefined);
  if (!name) return undefined;
  const definition = flags.find((flag) => flag.startsWith(`model_providers.${name}=`) || flag.startsWith(`model_providers.${name}.`));
  return { name, envKey: definition ? /env_key\s*=\s*"([^"]+)"/.exec(definition)?.[1] : undefined };
}

function claudeLogin(facts: LoginFacts): Verdict {
  const { env } = facts;
  const gateway = set(env, 'ANTHROPIC_BASE_URL') ? ` (API at ${env.ANTHROPIC_BASE_URL})` : '';
  const key = firstSet(env, ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN']);
  if (key) return yes(`${key} is set${gateway}`);
  const cloud = firstSet(env, ['CLAUDE_CODE_USE_BEDROCK', 'CLAUDE_CODE_USE_VERTEX', 'CLAUDE_CODE_USE_FOUNDRY']);
  if (cloud) return yes(`${cloud} is set: it uses that cloud's own credentials`);
  const file = [...facts.files][0];
  if (file) return yes(`logged in (${file})`);
  if (facts.claudeAccount) return yes('logged in (~/.claude.json has an account)');
  return no('no ANTHROPIC_API_KEY and no login in ~/.claude: run `claude` once and log in, or set ANTHROPIC_API_KEY');
}

function codexLogin(facts: LoginFacts): Verdict {
  const provider = codexProviderOf(facts.flags);
  if (provider?.envKey) {
    return set(facts.env, provider.envKey)
      ? yes(`model provider ${provider.name} from crewtree's config, key in ${provider.envKey}`)
      : no(`model provider ${provider.name} reads its key from ${provider.envKey}, which is not set (agents.codex.env or your shell)`);
  }
  if (provider) return yes(`model provider ${provider.name} from crewtree's config (no key needed)`);
  const key = firstSet(facts.env, ['OPENAI_API_KEY', 'CODEX_API_KEY']);
  if (key) return yes(`${key} is set`);
  const file = [...facts.files][0];
  if (file) return yes(`logged in (${file})`);
  return no('no OPENAI_API_KEY and no ~/.codex/auth.json: run `codex login`, or set OPENAI_API_KEY');
}

const PROVIDER_KEYS = ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'GEMINI_API_KEY', 'OPENROUTER_API_KEY', 'DEEPSEEK_API_KEY', 'GROQ_API_KEY'] as const;

function otherLogin(name: string, facts: LoginFacts): Verdict {
  const keys = name === 'gemini' ? ['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'GOOGLE_GENAI_USE_VERTEXAI'] : PROVIDER_KEYS;
  const key = firstSet(facts.env, keys);
  if (key) return yes(`${key} is set`);
  const file = [...facts.files][0];
  if (file) return yes(name === 'aider' ? `settings in ${file}` : `logged in (${file})`);
  const login = name === 'gemini' ? 'run `gemini` once and log in' : name === 'opencode' ? 'run `opencode auth login`' : 'put a key in ~/.aider.conf.yml';
  return no(`no ${keys.slice(0, 2).join(' or ')} and no ${credentialFiles(name, facts.env)[0]?.[0] ?? 'login file'}: ${login}, or set a key`);
}

/** Pure: whether the facts say the CLI can reach its model, and why. */
export function judgeLogin(name: string, facts: LoginFacts): Verdict {
  if (name === 'claude') return claudeLogin(facts);
  if (name === 'codex') return codexLogin(facts);
  return otherLogin(name, facts);
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function hasClaudeAccount(env: LoginFacts['env']): Promise<boolean> {
  const text = await readFile(join(env.CLAUDE_CONFIG_DIR ?? env.HOME ?? '', '.claude.json'), 'utf8').catch(() => '');
  try {
    const parsed = JSON.parse(text) as { oauthAccount?: unknown };
    return typeof parsed.oauthAccount === 'object' && parsed.oauthAccount !== null;
  } catch {
    return false;
  }
}

/** `crew doctor`'s look at one agent CLI found (or not) on PATH; it reads files, it runs nothing. */
export async function agentHealth(found: Pick<AgentHealth, 'name' | 'path' | 'version'>, env: LoginFacts['env'], settings: AgentConfig | undefined): Promise<AgentHealth> {
  if (!found.path) return { ...found, configured: false, why: 'not on PATH' };
  const agentEnv = { ...env, ...settings?.env };
  const present = await Promise.all(credentialFiles(found.name, agentEnv).map(async ([shown, path]) => ((await exists(path)) ? [shown] : [])));
  const facts: LoginFacts = {
    env: agentEnv,
    flags: settings?.flags ?? [],
    files: new Set(present.flat()),
    claudeAccount: found.name === 'claude' ? await hasClaudeAccount(agentEnv) : false,
  };
  return { ...found, ...judgeLogin(found.name, facts) };
}
