// `.env` files: which ones an agent must not read, and the few variables the config hands it.
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** `.env`, `.env.local`, `.env.production`, ...: the names `setup.copy` copies by default. */
export const isDotenvName = (name: string) => /^\.env(\..+)?$/.test(name);

/** The files, in order (a later one wins), whose variables `agents.<name>.dotenv` may pick. */
export const DOTENV_SOURCES = ['.env', '.env.local'];

/** Pure: `NAME=value` lines, with `export`, quotes and comments as dotenv tools read them. */
export function parseDotenv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(raw);
    if (!match?.[1]) continue;
    let value = (match[2] ?? '').trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && value.length > 1 && value.endsWith(quote)) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    values.set(match[1], value);
  }
  return values;
}

/** The variables `names` from the checkout's `.env` files; names not found are left out. */
export async function dotenvValues(checkout: string, names: readonly string[]): Promise<Record<string, string>> {
  if (names.length === 0) return {};
  const merged = new Map<string, string>();
  for (const file of DOTENV_SOURCES) {
    const text = await readFile(join(checkout, file), 'utf8').catch(() => '');
    for (const [name, value] of parseDotenv(text)) merged.set(name, value);
  }
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = merged.get(name);
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

/** `.env` files at the top of the checkout, and the copies setup put in the worktree. */
export async function secretFiles(checkout: string, worktree: string, setupFiles: readonly string[]): Promise<string[]> {
  const top = await readdir(checkout, { withFileTypes: true }).catch(() => []);
  const files = top.filter((entry) => entry.isFile() && isDotenvName(entry.name)).map((entry) => join(checkout, entry.name));
  for (const path of setupFiles) if (isDotenvName(basename(path))) files.push(join(worktree, path));
  return files.sort();
}

/** Hides each value (of 4 characters or more) behind `***` in a line of output. */
export function redactor(values: readonly string[]): (line: string) => string {
  const secrets = [...new Set(values.filter((value) => value.length >= 4))].sort((a, b) => b.length - a.length);
  if (secrets.length === 0) return (line) => line;
  return (line) => secrets.reduce((text, secret) => text.split(secret).join('***'), line);
}
