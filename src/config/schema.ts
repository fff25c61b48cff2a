import { z } from 'zod';
import { ID_PATTERN } from '../backlog/task.js';
import { parseDuration } from './duration.js';

const duration = (example: string) =>
  z.union([z.number(), z.string()], { error: `a duration (e.g. ${example}, 90s, 10m, 1h)` }).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) ctx.addIssue({ code: 'custom', message: `a duration (e.g. ${example}, 90s, 10m, 1h)` });
    return ms ?? 0;
  });

const commandList = z
  .union([z.string(), z.array(z.string())], { error: 'a command or a list of commands (e.g. [npm test])' })
  .transform((value) => (typeof value === 'string' ? [value] : value));

const relativePath = z.string().refine((path) => !path.startsWith('/') && !path.split('/').includes('..'), {
  error: 'a path inside the repository, without .. (e.g. backlog)',
});

export const agentSchema = z.strictObject({
  command: z.string().optional(),
  args: z.array(z.string()).optional(),
  model: z.string().optional(),
  flags: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
  prompt: z.enum(['argument', 'file', 'stdin'], { error: 'argument, file or stdin' }).optional(),
  timeout: duration('30m').optional(),
  idle: duration('10m').optional(),
});

export const configSchema = z.strictObject({
  base: z.string().min(1).default('main'),
  remote: z.string().min(1).nullable().default(null),
  backlog: relativePath.default('backlog'),
  worktrees: relativePath.default('.worktrees'),
  branch: z
    .string()
    .refine((pattern) => pattern.includes('{id}'), { error: 'a branch pattern with {id} (e.g. ai/{worker}/{id}-{slug})' })
    .default('ai/{worker}/{id}-{slug}'),
  agent: z.string().regex(ID_PATTERN, { error: 'an agent name (e.g. claude)' }).default('claude'),
  agents: z.record(z.string(), agentSchema).default({}),
  gate: commandList.default([]),
  setup: z
    .strictObject({
      copy: z.array(z.string()).default(['.env', '.env.*']),
      link: z.array(z.string()).default(['node_modules']),
      run: commandList.default([]),
      ports: z
        .strictObject({
          base: z.number().int().min(1024).max(65000).default(4100),
          size: z.number().int().min(1).max(1000).default(10),
        })
        .prefault({}),
    })
    .prefault({}),
  merge: z
    .strictObject({
      mode: z.enum(['auto', 'review'], { error: 'auto or review' }).default('auto'),
      batch: z.number().int().min(1).max(64).default(4),
      strategy: z.enum(['merge', 'squash'], { error: 'merge or squash' }).default('merge'),
      keep_branches: z.boolean({ error: 'true or false' }).default(false),
    })
    .prefault({}),
  lease: duration('2m').default(120),
  attempts: z.number().int().min(1).max(20).default(3),
  timeout: duration('30m').default(1800),
  idle: duration('10m').default(600),
  budget: z
    .strictObject({
      task_tokens: z.number().positive().optional(),
      task_usd: z.number().positive().optional(),
      run_tokens: z.number().positive().optional(),
      run_usd: z.number().positive().optional(),
    })
    .prefault({}),
  notify: z
    .strictObject({
      desktop: z.boolean().default(false),
      webhook: z.url({ error: 'an http(s) URL' }).optional(),
      command: z.string().optional(),
    })
    .prefault({}),
});

export type Config = z.output<typeof configSchema>;
export type AgentConfig = z.output<typeof agentSchema>;

export function defaultConfig(): Config {
  return configSchema.parse({});
}
