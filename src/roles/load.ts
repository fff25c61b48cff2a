import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CrewError, formatProblem, sortProblems, type Problem } from '../errors.js';
import { parseRoleFile } from './parse-role.js';
import type { Role } from './role.js';

export { defaultRole, resolveRole, roleTakes, type Role } from './role.js';

export const ROLES_DIR = '.crewtree/roles';
export const CONTEXT_PATH = '.crewtree/context.md';

/**
 * Every role file of `.crewtree/roles/*.md`, by role name. Problems in any of them (bad
 * YAML, unknown keys, bad values, two files for one role) are reported together with their lines.
 */
export async function loadRoles(root: string): Promise<Map<string, Role>> {
  let names: string[];
  try {
    names = (await readdir(join(root, ROLES_DIR))).filter((name) => name.endsWith('.md')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const roles = new Map<string, Role>();
  const problems: Problem[] = [];
  for (const name of names) {
    const file = `${ROLES_DIR}/${name}`;
    const parsed = parseRoleFile(file, await readFile(join(root, file), 'utf8'));
    problems.push(...parsed.problems);
    if (!parsed.role) continue;
    const earlier = roles.get(parsed.role.name);
    if (earlier) {
      problems.push({ path: file, line: parsed.nameLine ?? 1, message: `role "${parsed.role.name}" is already defined by ${earlier.file} (expected one file per role)` });
      continue;
    }
    roles.set(parsed.role.name, parsed.role);
  }
  if (problems.length > 0) {
    throw new CrewError('config-invalid', `${ROLES_DIR} has ${problems.length} problem${problems.length === 1 ? '' : 's'}.`, {
      details: sortProblems(problems).map(formatProblem),
      hint: 'Fix the lines above; the role files `crew init` writes show every key (docs/roles.md explains them).',
    });
  }
  return roles;
}

/** `.crewtree/context.md`, the system context every worker reads; empty when there is none. */
export async function readContext(root: string): Promise<string> {
  try {
    return await readFile(join(root, CONTEXT_PATH), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
