import { mkdir, readFile, writeFile, access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderBacklogIndex } from '../backlog/render-index.js';
import { writeFileAtomic } from '../fs/atomic.js';

const templates = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'init');
export const ROLE_NAMES = ['developer', 'architect', 'product-manager', 'test-coverage'] as const;

export interface InitResult {
  created: string[];
  updated: string[];
  unchanged: string[];
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function readOptional(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/** Adds missing lines to a line-based file such as .gitignore, keeping what is there. */
function withLines(text: string | undefined, lines: string[]): string | undefined {
  const present = new Set((text ?? '').split(/\r?\n/).map((line) => line.trim()));
  const missing = lines.filter((line) => !present.has(line));
  if (missing.length === 0) return undefined;
  const base = text === undefined || text === '' ? '' : text.endsWith('\n') ? text : text + '\n';
  return base + missing.join('\n') + '\n';
}

async function configTemplate(root: string, backlogDir: string): Promise<string> {
  let template = await readFile(join(templates, 'config.yaml'), 'utf8');
  const pkg = await readOptional(join(root, 'package.json'));
  const hasTest = pkg !== undefined && /"test"\s*:/.test(pkg);
  if (hasTest) template = template.replace(/^gate: \[\]$/m, 'gate: ["npm test"]');
  // NOTE: a Backlog.md backlog found elsewhere (.backlog/) is where crewtree's backlog goes too.
  if (backlogDir !== 'backlog') template = template.replace(/^backlog: backlog$/m, `backlog: ${JSON.stringify(backlogDir)}`);
  return template;
}

/**
 * Scaffolds `.crewtree/` and the backlog folder in `root`, and git-ignores the worktrees folder;
 * never overwrites a file, never commits.
 */
export async function scaffold(root: string, backlogDir = 'backlog', worktreesDir = '.worktrees', options: { backlogMd?: boolean } = {}): Promise<InitResult> {
  const result: InitResult = { created: [], updated: [], unchanged: [] };
  const files: [string, () => Promise<string>][] = [
    ['.crewtree/config.yaml', () => configTemplate(root, backlogDir)],
    ['.crewtree/context.md', () => readFile(join(templates, 'context.md'), 'utf8')],
    ...ROLE_NAMES.map((role): [string, () => Promise<string>] => [`.crewtree/roles/${role}.md`, () => readFile(join(templates, 'roles', `${role}.md`), 'utf8')]),
    // NOTE: a Backlog.md backlog has its tasks/ folder already; nothing of Backlog.md's is added to.
    ...(options.backlogMd ? [] : [[`${backlogDir}/tasks/.gitkeep`, async () => ''] as [string, () => Promise<string>]]),
    [`${backlogDir}/backlog.md`, async () => renderBacklogIndex([], backlogDir)],
    [`${backlogDir}/task.log`, async () => ''],
  ];
  for (const [path, content] of files) {
    const target = join(root, path);
    if (await exists(target)) {
      result.unchanged.push(path);
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, await content());
    result.created.push(path);
  }
  const lineFiles: [string, string[]][] = [
    ['.gitignore', [`${worktreesDir.replace(/\/+$/, '')}/`]],
    ['.gitattributes', [`${backlogDir}/task.log merge=union`, `${backlogDir}/backlog.md merge=union`]],
  ];
  for (const [path, lines] of lineFiles) {
    const before = await readOptional(join(root, path));
    const after = withLines(before, lines);
    if (after === undefined) result.unchanged.push(path);
    else {
      await writeFile(join(root, path), after);
      (before === undefined ? result.created : result.updated).push(path);
    }
  }
  return result;
}
