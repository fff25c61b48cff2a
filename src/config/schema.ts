import { z } from 'zod';
import { ID_PATTERN } from '../backlog/task.js';
import { parseDuration } from './duration.js';

// NOTE: every field carries its own message: zod's defaults ("Too small: expected number to be
// >=1") do not say what a user should write.
const durationMessage = (example: string) => `a duration such as ${example} (units ms, s, m, h; a plain number is seconds)`;
/** Bounds that keep a duration sane: `lease: 0` would let the first sweep take a live worker's task. */
interface DurationBounds {
  minMs: number;
  maxMs: number;
}
const ANY_DURATION: DurationBounds = { minMs: 0, maxMs: Number.MAX_SAFE_INTEGER };
const SECOND = 1000;
const DAY = 86_400_000;
const duration = (example: string, bounds: DurationBounds = ANY_DURATION) =>
  z.union([z.number(), z.string()], { error: durationMessage(example) }).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) ctx.addIssue({ code: 'custom', message: durationMessage(example) });
    else if (ms < bounds.minMs || ms > bounds.maxMs) {
      ctx.addIssue({ code: 'custom', message: `a duration from ${formatBound(bounds.minMs)} to ${formatBound(bounds.maxMs)} (e.g. ${example})` });
    }
    return ms ?? 0;
  });

function formatBound(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY}d`.replace(/^1d$/, '24h');
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % SECOND === 0 ? `${ms / SECOND}s` : `${ms}ms`;
}

// NOTE: the lower bounds are small enough for tests and demos, the upper ones catch a unit slip
// (`timeout: 30` is 30 seconds, `timeout: 1800000` is not 30 minutes but 500 hours).
const LEASE = { minMs: SECOND, maxMs: DAY };
const RUN_LIMIT = { minMs: SECOND, maxMs: DAY };

const text = (what: string) => z.string({ error: what }).min(1, { error: what });
const textList = (example: string) => z.array(z.string({ error: `a text (e.g. ${example})` }), { error: `a list (e.g. [${example}])` });
const integer = (min: number, max: number, what: string) => {
  const message = `${what}: a whole number from ${min} to ${max}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
};
const positive = (example: string) => z.number({ error: `a positive number (e.g. ${example})` }).positive({ error: `a positive number (e.g. ${example})` });
const boolean = z.boolean({ error: 'true or false' });
const sandboxPolicy = z.enum(['auto', 'required', 'off'], { error: 'auto, required or off' });
const sandboxNetwork = z.enum(['open', 'none'], { error: 'open or none' });

const commandList = z
  .union([z.string(), z.array(z.string())], { error: 'a command or a list of commands (e.g. [npm test])' })
  .transform((value) => (typeof value === 'string' ? [value] : value));

const relativePath = (example: string) =>
  z.string({ error: `a path inside the repository (e.g. ${example})` }).refine((path) => path !== '' && !path.startsWith('/') && !path.split('/').includes('..'), {
    error: `a path inside the repository, without .. (e.g. ${example})`,
  });

export const agentSchema = z.strictObject(
  {
    command: text('a program to run (e.g. ./tools/mybot)').optional(),
    args: textList('"{prompt_file}"').optional(),
    model: text('a model name (e.g. sonnet)').optional(),
    flags: textList('--max-turns, "40"').default([]),
    env: z.record(z.string(), z.string({ error: 'a text value' }), { error: 'a mapping of names to texts (e.g. { API_URL: http://localhost })' }).default({}),
    prompt: z.enum(['argument', 'file', 'stdin'], { error: 'argument, file or stdin' }).optional(),
    timeout: duration('30m', RUN_LIMIT).optional(),
    idle: duration('5m', RUN_LIMIT).optional(),
    sandbox: sandboxPolicy.optional(),
    sandbox_network: sandboxNetwork.optional(),
    dotenv: z
      .array(z.string({ error: 'a variable name (e.g. API_URL)' }).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'a variable name (e.g. API_URL)' }), {
        error: 'a list of variable names from your .env files (e.g. [API_URL])',
      })
      .default([]),
  },
  { error: 'agent settings (e.g. { model: sonnet, flags: [--verbose] })' },
);

export const configSchema = z.strictObject(
  {
    base: text('a branch name (e.g. main)').default('main'),
    remote: text('a remote name (e.g. origin), or null').nullable().default(null),
    backlog: relativePath('backlog').default('backlog'),
    worktrees: relativePath('.worktrees').default('.worktrees'),
    branch: z
      .string({ error: 'a branch pattern with {id} (e.g. ai/{worker}/{id}-{slug})' })
      .refine((pattern) => pattern.includes('{id}'), { error: 'a branch pattern with {id} (e.g. ai/{worker}/{id}-{slug})' })
      .default('ai/{worker}/{id}-{slug}'),
    agent: z.string({ error: 'an agent name (e.g. claude)' }).regex(ID_PATTERN, { error: 'an agent name (e.g. claude)' }).default('claude'),
    agents: z.record(z.string(), agentSchema, { error: 'a mapping of agent names to settings (e.g. claude: { model: sonnet })' }).default({}),
    gate: commandList.default([]),
    setup: z
      .strictObject(
        {
          copy: textList('.env').default(['.env', '.env.*']),
          link: textList('node_modules').default(['node_modules']),
          run: commandList.default([]),
          ports: z
            .strictObject(
              {
                base: integer(1024, 65000, 'the first port').default(4100),
                size: integer(1, 1000, 'ports per worktree').default(10),
              },
              { error: 'a port range (e.g. { base: 4100, size: 10 })' },
            )
            .prefault({}),
        },
        { error: 'worktree setup (copy, link, run, ports)' },
      )
      .prefault({}),
    merge: z
      .strictObject(
        {
          mode: z.enum(['auto', 'review'], { error: 'auto or review' }).default('auto'),
          batch: integer(1, 64, 'branches per batch').default(4),
          strategy: z.enum(['merge', 'squash', 'rebase'], { error: 'merge, squash or rebase' }).default('merge'),
          keep_branches: boolean.default(false),
        },
        { error: 'merge settings (mode, batch, strategy, keep_branches)' },
      )
      .prefault({}),
    // The text that ends the subject of every state-only commit (claims, releases, new tasks), so
    // hosted CIs do not start a run for them; '' for none.
    state_marker: z.string({ error: "a text such as '[skip ci]', or '' for none" }).default('[skip ci]'),
    // NOTE: prefault, not default: a default skips the transform and would be read as milliseconds.
    lease: duration('2m', LEASE).prefault('2m'),
    attempts: integer(1, 20, 'agent runs per task').default(3),
    timeout: duration('30m', RUN_LIMIT).prefault('30m'),
    idle: duration('5m', RUN_LIMIT).prefault('5m'),
    // Rate limits and outages of an agent's API: the first wait (doubling each time, unless the API
    // gives its reset time), and how long they are waited out before the task goes back to todo.
    backoff: duration('15s', { minMs: 100, maxMs: 3_600_000 }).prefault('15s'),
    outage: duration('30m', { minMs: SECOND, maxMs: 7 * DAY }).prefault('30m'),
    budget: z
      .strictObject(
        {
          task_tokens: positive('2000000').optional(),
          task_usd: positive('5').optional(),
          run_tokens: positive('20000000').optional(),
          run_usd: positive('50').optional(),
        },
        { error: 'budget limits (task_tokens, task_usd, run_tokens, run_usd)' },
      )
      .prefault({}),
    sandbox: sandboxPolicy.default('auto'),
    sandbox_network: sandboxNetwork.default('open'),
    notify: z
      .strictObject(
        {
          desktop: boolean.default(false),
          webhook: z.url({ protocol: /^https?$/, error: 'an http(s) URL (e.g. https://example.com/hook)' }).optional(),
          command: text('a command (e.g. ./tools/notify.sh)').optional(),
        },
        { error: 'notification settings (desktop, webhook, command)' },
      )
      .prefault({}),
  },
  { error: 'key: value lines such as base: main' },
);

export type Config = z.output<typeof configSchema>;
export type AgentConfig = z.output<typeof agentSchema>;

/** Top-level keys that `CREWTREE_<KEY>` environment variables may override, and whether they take numbers. */
export const envKeys = { base: 'text', remote: 'text', backlog: 'text', worktrees: 'text', branch: 'text', agent: 'text', lease: 'number', attempts: 'number', timeout: 'number', idle: 'number', backoff: 'number', outage: 'number', sandbox: 'text', sandbox_network: 'text' } as const;

export function defaultConfig(): Config {
  return configSchema.parse({});
}
