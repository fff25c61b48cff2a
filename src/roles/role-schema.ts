import * as z from 'zod/mini';
import { ID_PATTERN } from '../backlog/task.js';

const list = (example: string) =>
  z.pipe(
    z.union([z.array(z.pipe(z.union([z.string(), z.number()], { error: `a text (e.g. ${example})` }), z.transform(String))), z.string(), z.null()], {
      error: `a list (e.g. [${example}])`,
    }),
    z.transform((value: string[] | string | null) => (value === null ? [] : typeof value === 'string' ? [value] : value)),
  );

const glob = z.string().check(
  z.refine((pattern) => pattern !== '' && !pattern.startsWith('/') && !pattern.split('/').includes('..'), {
    error: 'a glob relative to the repository, without .. (e.g. src/**)',
  }),
);

const name = (example: string) => z.string({ error: `a name (e.g. ${example})` }).check(z.regex(ID_PATTERN, { error: `a name of letters, digits, - or _ (e.g. ${example})` }));

/** Front-matter of `.crewtree/roles/<role>.md`. */
export const roleSchema = z.strictObject({
  role: z.optional(name('developer')),
  agent: z.optional(name('claude')),
  paths: z._default(z.pipe(list('"src/**"'), z.array(glob)), ['**']),
  gate: z._default(z.pipe(list('npm run lint'), z.array(z.string().check(z.minLength(1, { error: 'a command (e.g. npm run lint)' })))), []),
  duty: z.optional(z.string({ error: 'a prompt text (e.g. Review the code for technical debt ...)' }).check(z.trim(), z.minLength(1, { error: 'a prompt text' }))),
  labels: z._default(list('api'), []),
  epics: z._default(list('Architecture'), []),
});

export const roleKeys = Object.keys(roleSchema.shape);
