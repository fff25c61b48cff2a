import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agentHealth, codexProviderOf, judgeLogin, type LoginFacts } from '../../../src/agents/agent-health.js';
import { agentSchema } from '../../../src/config/schema.js';

const facts = (overrides: Partial<LoginFacts> = {}): LoginFacts => ({ env: {}, flags: [], files: new Set(), claudeAccount: false, ...overrides });
const provider = 'model_providers.gateway={name="gateway",base_url="http://127.0.0.1:8080/v1",wire_api="responses",env_key="GATEWAY_KEY"}';

describe('judgeLogin', () => {
  it('claude: a key (with the gateway it goes to), a cloud provider, a login file, an account, or what to do', () => {
    expect(judgeLogin('claude', facts({ env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://127.0.0.1:4000' } }))).toEqual({
      configured: true,
      why: 'ANTHROPIC_API_KEY is set (API at http://127.0.0.1:4000)',
    });
    expect(judgeLogin('claude', facts({ env: { CLAUDE_CODE_OAUTH_TOKEN: 't' } })).why).toBe('CLAUDE_CODE_OAUTH_TOKEN is set');
    expect(judgeLogin('claude', facts({ env: { CLAUDE_CODE_USE_BEDROCK: '1' } })).why).toBe("CLAUDE_CODE_USE_BEDROCK is set: it uses that cloud's own credentials");
    expect(judgeLogin('claude', facts({ files: new Set(['~/.claude/.credentials.json']) })).why).toBe('logged in (~/.claude/.credentials.json)');
    expect(judgeLogin('claude', facts({ claudeAccount: true })).why).toBe('logged in (~/.claude.json has an account)');
    expect(judgeLogin('claude', facts({ env: { ANTHROPIC_API_KEY: '  ' } }))).toEqual({
      configured: false,
      why: 'no ANTHROPIC_API_KEY and no login in ~/.claude: run `claude` once and log in, or set ANTHROPIC_API_KEY',
    });
  });

  it("codex: a provider from crewtree's flags and its key, a key, auth.json, or what to do", () => {
    const flags = ['-c', provider, '-c', 'model_provider=gateway'];
    expect(judgeLogin('codex', facts({ flags, env: { GATEWAY_KEY: 'k' } }))).toEqual({ configured: true, why: "model provider gateway from crewtree's config, key in GATEWAY_KEY" });
    expect(judgeLogin('codex', facts({ flags, env: { OPENAI_API_KEY: 'k' } }))).toEqual({
      configured: false,
      why: 'model provider gateway reads its key from GATEWAY_KEY, which is not set (agents.codex.env or your shell)',
    });
    expect(judgeLogin('codex', facts({ env: { OPENAI_API_KEY: 'k' } })).why).toBe('OPENAI_API_KEY is set');
    expect(judgeLogin('codex', facts({ files: new Set(['~/.codex/auth.json']) })).why).toBe('logged in (~/.codex/auth.json)');
    expect(judgeLogin('codex', facts())).toEqual({ configured: false, why: 'no OPENAI_API_KEY and no ~/.codex/auth.json: run `codex login`, or set OPENAI_API_KEY' });
  });

  it('gemini, opencode and aider: their keys or login files', () => {
    expect(judgeLogin('gemini', facts({ env: { GEMINI_API_KEY: 'k' } })).why).toBe('GEMINI_API_KEY is set');
    expect(judgeLogin('gemini', facts({ env: { OPENAI_API_KEY: 'k' } })).configured).toBe(false);
    expect(judgeLogin('opencode', facts({ files: new Set(['~/.local/share/opencode/auth.json']) })).why).toBe('logged in (~/.local/share/opencode/auth.json)');
    expect(judgeLogin('aider', facts({ env: { DEEPSEEK_API_KEY: 'k' } })).why).toBe('DEEPSEEK_API_KEY is set');
  });
});

describe('codexProviderOf', () => {
  it('finds the provider chosen with -c model_provider= and the key its definition names', () => {
    expect(codexProviderOf(['-c', provider, '-c', 'model_provider=gateway'])).toEqual({ name: 'gateway', envKey: 'GATEWAY_KEY' });
    expect(codexProviderOf(['-c', 'model_provider="ollama"'])).toEqual({ name: 'ollama', envKey: undefined });
    expect(codexProviderOf(['-c', provider])).toBeUndefined();
  });
});

describe('agentHealth', () => {
  const home = mkdtempSync(join(tmpdir(), 'crewtree-health-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('reads the login files under HOME and CODEX_HOME, and agents.<name>.env from the config', async () => {
    const found = { name: 'claude', path: '/usr/bin/claude', version: '2.1.330 (Claude Code)' };
    expect(await agentHealth(found, { HOME: home }, undefined)).toEqual({ ...found, configured: false, why: expect.stringMatching(/^no ANTHROPIC_API_KEY/) });
    writeFileSync(join(home, '.claude.json'), JSON.stringify({ oauthAccount: { emailAddress: 'dev@example.com' } }));
    expect((await agentHealth(found, { HOME: home }, undefined)).why).toBe('logged in (~/.claude.json has an account)');
    mkdirSync(join(home, '.claude'));
    writeFileSync(join(home, '.claude/.credentials.json'), '{}');
    expect((await agentHealth(found, { HOME: home }, undefined)).why).toBe('logged in (~/.claude/.credentials.json)');
    const settings = agentSchema.parse({ env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://gateway:4000' } });
    expect((await agentHealth(found, { HOME: home }, settings)).why).toBe('ANTHROPIC_API_KEY is set (API at http://gateway:4000)');

    const codex = { name: 'codex', path: '/usr/bin/codex', version: 'codex-cli 0.169.0' };
    mkdirSync(join(home, 'codex-home'));
    writeFileSync(join(home, 'codex-home/auth.json'), '{}');
    expect((await agentHealth(codex, { HOME: home, CODEX_HOME: join(home, 'codex-home') }, undefined)).why).toBe('logged in ($CODEX_HOME/auth.json)');
    expect(await agentHealth({ ...codex, path: null, version: null }, { HOME: home }, undefined)).toMatchObject({ configured: false, why: 'not on PATH' });
  });
});
