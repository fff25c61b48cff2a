import { z } from 'zod';
import { ID_PATTERN } from '../backlog/task.js';

const list = (example: string) =>
  z
    .union([z.array(z.union([z.string(), z.number()], { error: `a text (e.g. ${example})` }).transform(String)), z.string(), z.null()], {
      error: `a list (e.g. [${example}])`,
    })
    .transform((value) => (value === null ? [] : typeof value === 'string' ? [value] : value));

const glob = z.string().refine((pattern) => pattern !== '' && !pattern.startsWith('/') && !pattern.split('/').includes('..'), {
  error: 'a glob relative to the repository, without .. (e.g. src/**)',
});

const name = (example: string) => z.string({ error: `a name (e.g. ${example})` }).regex(ID_PATTERN, { error: `a name of letters, digits, - or _ (e.g. ${example})` });

/** Front-matter of `.crewtree/roles/<role>.md`. */
export const roleSchema = z.strictObject({
  role: name('developer').optional(),
  agent: name('claude').optional(),
  paths: list('"src/**"').pipe(z.array(glob)).default(['**']),
  gate: list('npm run lint').pipe(z.array(z.string().min(1, { error: 'a command (e.g. npm run lint)' }))).default([]),
  duty: z.string({ error: 'a prompt text (e.g. Review the code for technical debt ...)' }).trim().min(1, { error: 'a prompt text' }).optional(),
  labels: list('api').default([]),
  epics: list('Architecture').default([]),
});

export const roleKeys = Object.keys(roleSchema.shape);
