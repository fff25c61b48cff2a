import type { Problem } from '../errors.js';
import { singleLine } from '../terminal/safe-text.js';
import { hasOpeningFence, splitFrontMatter } from './front-matter.js';
import { commitTypeOf, normalizeStatus, taskSchema } from './task-schema.js';
import { ID_PATTERN, type Task } from './task.js';
import { describeYamlError, firstAliasOffset, firstCollectionKeyOffset, isMap, isScalar, lineOfPath, parseYaml, toPlainData, type LineCounter } from '../yaml/yaml.js';

export interface ParsedTask {
  task: Task | undefined;
  problems: Problem[];
  /**
   * The id the file declares, even when the file has other problems, so that tasks depending
   * on it are not also reported as having an unknown dependency.
   */
  declaredId: string | undefined;
}

/** A task file's markdown after its front-matter ('' when it has none). */
export function bodyOf(text: string): string {
  return splitFrontMatter(text)?.body ?? '';
}

const expectedShape = "expected the file to start with '---', keys such as id: A1 and title: ..., then '---'";

function lineOfOffset(lines: LineCounter, offset: number, firstLine: number): number {
  return lines.linePos(offset).line + firstLine - 1;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Whether the issue is about a key absent from a mapping (not an item of a list or a split text). */
function isMissingKey(raw: unknown, path: readonly PropertyKey[]): boolean {
  const parent = valueAt(raw, path.slice(0, -1));
  const key = path[path.length - 1];
  return key !== undefined && parent !== null && typeof parent === 'object' && !Array.isArray(parent) && !(key in parent);
}

function failed(file: string, problems: Problem[], declaredId?: string): ParsedTask {
  return { task: undefined, problems, declaredId };
}

/** Task files larger than this are refused unread: a task is prose, not a data dump. */
const MAX_TASK_FILE_CHARS = 1_000_000;

/** The 1-based line of the first character that cannot be written back as it was read. */
function unrepresentableLine(text: string): number | undefined {
  // NOTE: git blobs are decoded as UTF-8, and every invalid byte becomes U+FFFD; writing the
  // text back would replace those bytes. A file that really holds U+FFFD is refused too: the two
  // cannot be told apart here, and refusing loses nothing.
  const at = text.indexOf('\uFFFD');
  if (at === -1) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * The task from front-matter that failed validation, as far as it can be read: keys with a
 * problem fall back to their defaults. Undefined when the id or title themselves are broken.
 * It is quarantined (never picked), but listed, shown and cross-checked.
 */
function bestEffort(raw: Record<string, unknown>, issues: readonly { path: PropertyKey[] }[]) {
  const broken = new Set(issues.map((issue) => String(issue.path[0])));
  if (broken.has('id') || broken.has('title')) return undefined;
  const kept = Object.fromEntries(Object.entries(raw).filter(([key]) => !broken.has(key)));
  const retry = taskSchema.safeParse(kept);
  return retry.success ? retry.data : undefined;
}

/** Parses one task file; `order` is its position in the backlog. */
export function parseTask(file: string, text: string, order: number): ParsedTask {
  if (text.length > MAX_TASK_FILE_CHARS) {
    const size = `${(text.length / 1_000_000).toFixed(1)} MB`;
    return failed(file, [{ path: file, line: 1, message: `the file is ${size}, too large to be a task (expected at most 1 MB)` }]);
  }
  const front = splitFrontMatter(text);
  const badByte = unrepresentableLine(text);
  const encodingProblem: Problem[] =
    badByte === undefined
      ? []
      : [{ path: file, line: badByte, message: 'bytes that are not UTF-8 (or a U+FFFD character): crewtree cannot rewrite this file byte for byte (expected UTF-8 text)' }];
  if (!front) {
    const message = hasOpeningFence(text)
      ? "front-matter is not closed (expected a '---' line after the keys)"
      : `no YAML front-matter (${expectedShape})`;
    return failed(file, [{ path: file, line: 1, message }, ...encodingProblem]);
  }
  const { doc, lines } = parseYaml(front.yaml);
  // NOTE: errors at the very end of the YAML (an unclosed bracket) are reported on its last line,
  // not on the closing fence.
  const lastLine = lineOfOffset(lines, Math.max(front.yaml.replace(/\r?\n$/, '').length, 0), front.firstLine);
  const problems: Problem[] = [];
  for (const error of doc.errors) {
    const problem = { path: file, line: Math.min(lineOfOffset(lines, error.pos[0], front.firstLine), lastLine), message: describeYamlError(error, front.yaml) };
    // NOTE: YAML nested too deeply overflows the stack at a depth that depends on the caller's own; said once.
    if (!problems.some((seen) => seen.line === problem.line && seen.message === problem.message)) problems.push(problem);
  }
  problems.push(...encodingProblem);
  if (doc.errors.length > 0) return failed(file, problems);
  if (doc.contents !== null && !isMap(doc.contents)) {
    return failed(file, [{ path: file, line: front.firstLine, message: `front-matter is not a mapping (${expectedShape})` }, ...encodingProblem]);
  }
  if (isMap(doc.contents) && doc.contents.flow) {
    problems.push({
      path: file,
      line: front.firstLine,
      message: 'front-matter written as one {...} flow mapping, which crewtree cannot edit in place (expected one key: value per line)',
    });
  }
  const collectionKey = firstCollectionKeyOffset(doc);
  if (collectionKey !== undefined) {
    return failed(file, [{ path: file, line: lineOfOffset(lines, collectionKey, front.firstLine), message: 'a key that is a list or a mapping (expected plain key: value lines)' }]);
  }
  const plain = toPlainData(doc);
  if ('error' in plain) {
    const alias = firstAliasOffset(doc);
    return failed(file, [{ path: file, line: alias === undefined ? front.firstLine : lineOfOffset(lines, alias, front.firstLine), message: `${plain.error} (expected plain values)` }]);
  }
  const raw = (plain.value ?? {}) as Record<string, unknown>;
  const declared = typeof raw.id === 'string' || typeof raw.id === 'number' ? String(raw.id) : undefined;
  const declaredId = declared !== undefined && ID_PATTERN.test(declared) ? declared : undefined;
  const keyLines: Record<string, number> = {};
  for (const pair of isMap(doc.contents) ? doc.contents.items : []) {
    const key = pair.key as { value?: unknown; range?: [number, number, number] };
    if (isScalar(pair.key) && key.range) keyLines[String(key.value)] = lineOfOffset(lines, key.range[0], front.firstLine);
  }
  const result = taskSchema.safeParse(raw);
  let data = result.success ? result.data : undefined;
  if (!result.success) {
    for (const issue of result.error.issues) {
      const where = issue.path.map(String).join('.');
      const inYaml = lineOfPath(doc, lines, issue.path);
      const line = inYaml === 0 ? front.firstLine - 1 : inYaml + front.firstLine - 1;
      const missing = isMissingKey(raw, issue.path);
      const shown = describeValue(valueAt(raw, issue.path));
      problems.push({
        path: file,
        line,
        message: missing ? `missing key "${where}" (expected ${issue.message})` : `${where}${shown} is not valid (expected ${issue.message})`,
      });
    }
    data = bestEffort(raw, result.error.issues);
  }
  if (!data) return failed(file, problems, declaredId);
  const commitType = commitTypeOf(data.type);
  const statusName = data.status;
  return {
    task: {
      id: data.id,
      // NOTE: shown on terminals and in log lines: one line, no control sequences (the file keeps its bytes).
      title: singleLine(data.title),
      status: normalizeStatus(statusName) ?? 'blocked',
      statusName,
      priority: data.priority ?? 'medium',
      priorityGiven: data.priority !== undefined && data.priority !== null,
      type: commitType ?? 'chore',
      typeName: commitType === data.type ? undefined : data.type,
      epic: data.epic === undefined || data.epic === null ? undefined : singleLine(data.epic),
      role: data.role,
      dependsOn: data.depends_on ?? data.dependencies ?? [],
      paths: data.paths,
      labels: data.labels.map(singleLine),
      review: data.review,
      lock: data.lock ? { ...data.lock, worker: singleLine(data.lock.worker), host: singleLine(data.lock.host) } : undefined,
      parent: data.parent_task_id ?? undefined,
      ordinal: data.ordinal ?? undefined,
      file,
      order,
      // NOTE: the file's own status spelling decides the words written back, so a claim and a
      // release give back `todo` where the file said `todo`, even next to `dependencies:`.
      dialect: /[A-Z ]/.test(statusName) || (!('status' in raw) && 'dependencies' in raw && !('depends_on' in raw)) ? 'backlog.md' : 'crewtree',
      lines: keyLines,
    },
    problems,
    declaredId: data.id,
  };
}

function describeValue(value: unknown): string {
  if (value === undefined || (typeof value === 'object' && value !== null)) return '';
  const shown = JSON.stringify(value);
  return shown.length > 40 ? '' : ` ${shown}`;
}
