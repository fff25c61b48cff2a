import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CrewError, formatProblem, type Problem } from '../errors.js';
import { isMap, isScalar, parseYaml, type YamlDocument, type LineCounter } from '../backlog/yaml.js';
import { configSchema, type Config } from './schema.js';

export const CONFIG_PATH = '.crewtree/config.yaml';

/** Top-level keys that `CREWTREE_<KEY>` environment variables may override. */
const ENV_KEYS = ['base', 'remote', 'backlog', 'worktrees', 'branch', 'agent', 'lease', 'attempts', 'timeout', 'idle'] as const;

function lineOf(doc: YamlDocument, lines: LineCounter, path: readonly PropertyKey[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = (depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as unknown[], true)) as
      | { range?: [number, number, number] }
      | null
      | undefined;
    if (node && typeof node === 'object' && node.range) return lines.linePos(node.range[0]).line;
    const parent = depth > 0 ? (depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1) as unknown[], true)) : undefined;
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[depth - 1]);
      const key = pair?.key as { range?: [number, number, number] } | undefined;
      if (key?.range) return lines.linePos(key.range[0]).line;
    }
  }
  return 1;
}

/** Validates config text; every problem is returned with its line. */
export function parseConfig(text: string, path = CONFIG_PATH, env: Record<string, string | undefined> = {}): { config?: Config; problems: Problem[] } {
  const { doc, lines } = parseYaml(text);
  const problems: Problem[] = doc.errors.map((error) => ({
    path,
    line: lines.linePos(error.pos[0]).line,
    message: `invalid YAML: ${error.message.split('\n')[0]} (expected key: value lines)`,
  }));
  if (problems.length > 0) return { problems };
  const raw = (doc.toJS() ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { problems: [{ path, line: 1, message: 'the config is not a mapping (expected key: value lines such as base: main)' }] };
  }
  for (const key of ENV_KEYS) {
    const value = env[`CREWTREE_${key.toUpperCase()}`];
    if (value !== undefined && value !== '') raw[key] = /^\d+$/.test(value) && key !== 'base' ? Number(value) : value;
  }
  const result = configSchema.safeParse(raw);
  if (result.success) return { config: result.data, problems };
  for (const issue of result.error.issues) {
    const where = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyPath = [...issue.path, key];
        problems.push({ path, line: lineOf(doc, lines, keyPath), message: `unknown key "${keyPath.join('.')}" (expected one of the keys documented in crew init's config.yaml)` });
      }
      continue;
    }
    problems.push({ path, line: lineOf(doc, lines, issue.path), message: `${where || 'config'} is not valid (expected ${issue.message})` });
  }
  return { problems };
}

export async function loadConfig(root: string, env: Record<string, string | undefined> = {}): Promise<Config> {
  let text = '';
  try {
    text = await readFile(join(root, CONFIG_PATH), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { config, problems } = parseConfig(text, CONFIG_PATH, env);
  if (!config) {
    throw new CrewError('config-invalid', `${CONFIG_PATH} has ${problems.length} problem${problems.length === 1 ? '' : 's'}.`, {
      details: problems.map(formatProblem),
      hint: 'Fix the lines above; every key is documented in the file `crew init` writes.',
    });
  }
  return config;
}
