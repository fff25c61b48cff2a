import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CrewError, formatProblem, sortProblems, type Problem } from '../errors.js';
import { describeYamlError, lineOfPath, parseYaml, toPlainData, type YamlDocument, type LineCounter } from '../yaml/yaml.js';
import { configSchema, envKeys, type Config } from './schema.js';

export const CONFIG_PATH = '.crewtree/config.yaml';

interface SchemaDef {
  type: string;
  innerType?: { _zod: { def: SchemaDef } };
  valueType?: { _zod: { def: SchemaDef } };
  in?: { _zod: { def: SchemaDef } };
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
}

/** The keys the schema allows at `path` (for "unknown key" messages). */
export function knownKeys(path: readonly PropertyKey[]): string[] {
  let def: SchemaDef | undefined = (configSchema as unknown as { _zod: { def: SchemaDef } })._zod.def;
  const unwrap = () => {
    while (def && (def.innerType || def.in) && def.type !== 'object') def = (def.innerType ?? def.in)?._zod.def;
  };
  for (const key of path) {
    unwrap();
    if (def?.type === 'record') def = def.valueType?._zod.def;
    else def = def?.shape?.[String(key)]?._zod.def;
  }
  unwrap();
  if (def?.type === 'record') return [];
  return Object.keys(def?.shape ?? {});
}

function describeValue(value: unknown): string {
  if (value === undefined || (typeof value === 'object' && value !== null)) return '';
  const shown = JSON.stringify(value);
  return shown.length > 40 ? '' : ` ${shown}`;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function lineOf(doc: YamlDocument, lines: LineCounter, path: readonly PropertyKey[]): number {
  return lineOfPath(doc, lines, path) || 1;
}

/** Validates config text; every problem is returned with its line. */
export function parseConfig(text: string, path = CONFIG_PATH, env: Record<string, string | undefined> = {}): { config?: Config; problems: Problem[] } {
  const { doc, lines } = parseYaml(text);
  const lastLine = lines.linePos(Math.max(text.replace(/\r?\n$/, '').length, 0)).line;
  const problems: Problem[] = doc.errors.map((error) => ({
    path,
    line: Math.min(lines.linePos(error.pos[0]).line, lastLine),
    message: describeYamlError(error, text),
  }));
  if (problems.length > 0) return { problems };
  const plain = toPlainData(doc);
  if ('error' in plain) return { problems: [{ path, line: 1, message: `${plain.error} (expected plain values)` }] };
  const raw = (plain.value ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { problems: [{ path, line: 1, message: 'the config is not a mapping (expected key: value lines such as base: main)' }] };
  }
  const fromEnv = new Map<string, string>();
  for (const [key, kind] of Object.entries(envKeys)) {
    const name = `CREWTREE_${key.toUpperCase()}`;
    const value = env[name];
    if (value === undefined || value === '') continue;
    raw[key] = kind === 'number' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    fromEnv.set(key, name);
  }
  const result = configSchema.safeParse(raw);
  if (result.success) return { config: result.data, problems };
  for (const issue of result.error.issues) {
    const where = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyPath = [...issue.path, key];
        const allowed = knownKeys(issue.path);
        problems.push({ path, line: lineOf(doc, lines, keyPath), message: `unknown key "${keyPath.join('.')}" (expected one of ${allowed.join(', ')})` });
      }
      continue;
    }
    const shown = describeValue(valueAt(raw, issue.path));
    const variable = fromEnv.get(String(issue.path[0]));
    // NOTE: a value from the environment is reported against its variable (line 0: no line).
    if (variable) problems.push({ path: `$${variable}`, line: 0, message: `${where}${shown} is not valid (expected ${issue.message})` });
    else problems.push({ path, line: lineOf(doc, lines, issue.path), message: `${where || 'config'}${shown} is not valid (expected ${issue.message})` });
  }
  return { problems: sortProblems(problems) };
}

/** A config larger than this is refused unread: settings fit in a few kilobytes. */
const MAX_CONFIG_CHARS = 256_000;

/**
 * The config file's text ('' when there is none), or the problem that stops it being read:
 * a directory in its place, a file too large, or one that cannot be read.
 */
export async function readConfigText(root: string): Promise<{ text: string; problems: Problem[] }> {
  try {
    const text = await readFile(join(root, CONFIG_PATH), 'utf8');
    if (text.length > MAX_CONFIG_CHARS) {
      return { text: '', problems: [{ path: CONFIG_PATH, line: 0, message: `the file is ${text.length} characters, too large for a config (expected at most 256 kB)` }] };
    }
    return { text, problems: [] };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { text: '', problems: [] };
    const what = code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? (error as Error).message})`;
    return { text: '', problems: [{ path: CONFIG_PATH, line: 0, message: `${what} (expected a YAML file, or nothing there for the defaults)` }] };
  }
}

export async function loadConfig(root: string, env: Record<string, string | undefined> = {}): Promise<Config> {
  const read = await readConfigText(root);
  const parsed = read.problems.length > 0 ? { config: undefined, problems: read.problems } : parseConfig(read.text, CONFIG_PATH, env);
  const { config, problems } = parsed;
  if (!config) {
    throw new CrewError('config-invalid', `${CONFIG_PATH} has ${problems.length} problem${problems.length === 1 ? '' : 's'}.`, {
      details: problems.map(formatProblem),
      hint: 'Fix the lines above; every key is documented in the file `crew init` writes.',
    });
  }
  return config;
}
