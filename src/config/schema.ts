import * as z from 'zod/mini';
import { ID_PATTERN } from '../backlog/task.js';
import { parseDuration } from './duration.js';

// NOTE: every field carries its own message: zod's defaults ("Too small: expected number to be
// >=1") do not say what a user should write. zod/mini loads no locale, so a field without one
// would say only "Invalid input"; unknown keys are reworded by load.ts.
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
  z.pipe(
    z.union([z.number(), z.string()], { error: durationMessage(example) }),
    z.transform((value: number | string, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined) ctx.issues.push({ code: 'custom', message: durationMessage(example), input: value });
      else if (ms < bounds.minMs || ms > bounds.maxMs) {
        ctx.issues.push({ code: 'custom', message: `a duration from ${formatBound(bounds.minMs)} to ${formatBound(bounds.maxMs)} (e.g. ${example})`, input: value });
      }
      return ms ?? 0;
    }),
  );

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

const text = (what: string) => z.string({ error: what }).check(z.minLength(1, { error: what }));
const textList = (example: string) => z.array(z.string({ error: `a text (e.g. ${example})` }), { error: `a list (e.g. [${example}])` });
const integer = (min: number, max: number, what: string) => {
  const message = `${what}: a whole number from ${min} to ${max}`;
  return z.number({ error: message }).check(z.int({ error: message }), z.gte(min, { error: message }), z.lte(max, { error: message }));
};
const positive = (example: string) => z.number({ error: `a positive number (e.g. ${example})` }).check(z.positive({ error: `a positive number (e.g. ${example})` }));
const boolean = z.boolean({ error: 'true or false' });
const sandboxPolicy = z.enum(['auto', 'required', 'off'], { error: 'auto, required or off' });
const sandboxNetwork = z.enum(['open', 'none'], { error: 'open or none' });

const commandList = z.pipe(
  z.union([z.string(), z.array(z.string())], { error: 'a command or a list of commands (e.g. [npm test])' }),
  z.transform((value: string | string[]) => (typeof value === 'string' ? [value] : value)),
);

const relativePath = (example: string) =>
  z.string({ error: `a path inside the repository (e.g. ${example})` }).check(
    z.refine((path) => path !== '' && !path.startsWith('/') && !path.split('/').includes('..'), {
      error: `a path inside the repository, without .. (e.g. ${example})`,
    }),
  );

export const agentSchema = z.strictObject(
  {
    command: z.optional(text('a program to run (e.g. ./tools/mybot)')),
    args: z.optional(textList('"{prompt_file}"')),
    model: z.optional(text('a model name (e.g. sonnet)')),
    flags: z._default(textList('--max-turns, "40"'), []),
    env: z._default(z.record(z.string(), z.string({ error: 'a text value' }), { error: 'a mapping of names to texts (e.g. { API_URL: http://localhost })' }), {}),
    prompt: z.optional(z.enum(['argument', 'file', 'stdin'], { error: 'argument, file or stdin' })),
    timeout: z.optional(duration('30m', RUN_LIMIT)),
    idle: z.optional(duration('5m', RUN_LIMIT)),
    sandbox: z.optional(sandboxPolicy),
    sandbox_network: z.optional(sandboxNetwork),
    dotenv: z._default(
      z.array(z.string({ error: 'a variable name (e.g. API_URL)' }).check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'a variable name (e.g. API_URL)' })), {
        error: 'a list of variable names from your .env files (e.g. [API_URL])',
      }),
      [],
    ),
  },
  { error: 'agent settings (e.g. { model: sonnet, flags: [--verbose] })' },
);

const branchMessage = 'a branch pattern with {id} (e.g. ai/{worker}/{id}-{slug})';

export const configSchema = z.strictObject(
  {
    base: z._default(text('a branch name (e.g. main)'), 'main'),
    remote: z._default(z.nullable(text('a remote name (e.g. origin), or null')), null),
    backlog: z._default(relativePath('backlog'), 'backlog'),
    worktrees: z._default(relativePath('.worktrees'), '.worktrees'),
    branch: z._default(z.string({ error: branchMessage }).check(z.refine((pattern) => pattern.includes('{id}'), { error: branchMessage })), 'ai/{worker}/{id}-{slug}'),
    agent: z._default(z.string({ error: 'an agent name (e.g. claude)' }).check(z.regex(ID_PATTERN, { error: 'an agent name (e.g. claude)' })), 'claude'),
    agents: z._default(z.record(z.string(), agentSchema, { error: 'a mapping of agent names to settings (e.g. claude: { model: sonnet })' }), {}),
    gate: z._default(commandList, []),
    setup: z.prefault(
      z.strictObject(
        {
          copy: z._default(textList('.env'), ['.env', '.env.*']),
          link: z._default(textList('node_modules'), ['node_modules']),
          run: z._default(commandList, []),
          ports: z.prefault(
            z.strictObject(
              {
                base: z._default(integer(1024, 65000, 'the first port'), 4100),
                size: z._default(integer(1, 1000, 'ports per worktree'), 10),
              },
              { error: 'a port range (e.g. { base: 4100, size: 10 })' },
            ),
            {},
          ),
        },
        { error: 'worktree setup (copy, link, run, ports)' },
      ),
      {},
    ),
    merge: z.prefault(
      z.strictObject(
        {
          mode: z._default(z.enum(['auto', 'review'], { error: 'auto or review' }), 'auto'),
          batch: z._default(integer(1, 64, 'branches per batch'), 4),
          strategy: z._default(z.enum(['merge', 'squash', 'rebase'], { error: 'merge, squash or rebase' }), 'merge'),
          keep_branches: z._default(boolean, false),
        },
        { error: 'merge settings (mode, batch, strategy, keep_branches)' },
      ),
      {},
    ),
    // The text that ends the subject of every state-only commit (claims, releases, new tasks), so
    // hosted CIs do not start a run for them; '' for none.
    state_marker: z._default(z.string({ error: "a text such as '[skip ci]', or '' for none" }), '[skip ci]'),
    // NOTE: prefault, not default: a default skips the transform and would be read as milliseconds.
    lease: z.prefault(duration('2m', LEASE), '2m'),
    attempts: z._default(integer(1, 20, 'agent runs per task'), 3),
    timeout: z.prefault(duration('30m', RUN_LIMIT), '30m'),
    idle: z.prefault(duration('5m', RUN_LIMIT), '5m'),
    // Rate limits and outages of an agent's API: the first wait (doubling each time, unless the API
    // gives its reset time), and how long they are waited out before the task goes back to todo.
    backoff: z.prefault(duration('15s', { minMs: 100, maxMs: 3_600_000 }), '15s'),
    outage: z.prefault(duration('30m', { minMs: SECOND, maxMs: 7 * DAY }), '30m'),
    budget: z.prefault(
      z.strictObject(
        {
          task_tokens: z.optional(positive('2000000')),
          task_usd: z.optional(positive('5')),
          run_tokens: z.optional(positive('20000000')),
          run_usd: z.optional(positive('50')),
        },
        { error: 'budget limits (task_tokens, task_usd, run_tokens, run_usd)' },
      ),
      {},
    ),
    sandbox: z._default(sandboxPolicy, 'auto'),
    sandbox_network: z._default(sandboxNetwork, 'open'),
    notify: z.prefault(
      z.strictObject(
        {
          desktop: z._default(boolean, false),
          webhook: z.optional(z.url({ protocol: /^https?$/, error: 'an http(s) URL (e.g. https://example.com/hook)' })),
          command: z.optional(text('a command (e.g. ./tools/notify.sh)')),
        },
        { error: 'notification settings (desktop, webhook, command)' },
      ),
      {},
    ),
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
