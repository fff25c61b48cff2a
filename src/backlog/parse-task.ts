import type { Problem } from '../errors.js';
import { hasOpeningFence, splitFrontMatter } from './front-matter.js';
import { taskSchema } from './task-schema.js';
import { ID_PATTERN, type Task } from './task.js';
import { describeYamlError, isMap, isScalar, lineOfPath, parseYaml, type LineCounter } from '../yaml/yaml.js';

export interface ParsedTask {
  task: Task | undefined;
  problems: Problem[];
  /**
   * The id the file declares, even when the file has other problems, so that tasks depending
   * on it are not also reported as having an unknown dependency.
   */
  declaredId: string | undefined;
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

/** Parses one task file; `order` is its position in the backlog. */
export function parseTask(file: string, text: string, order: number): ParsedTask {
  const front = splitFrontMatter(text);
  if (!front) {
    const message = hasOpeningFence(text)
      ? "front-matter is not closed (expected a '---' line after the keys)"
      : `no YAML front-matter (${expectedShape})`;
    return failed(file, [{ path: file, line: 1, message }]);
  }
  const { doc, lines } = parseYaml(front.yaml);
  // NOTE: errors at the very end of the YAML (an unclosed bracket) are reported on its last line,
  // not on the closing fence.
  const lastLine = lineOfOffset(lines, Math.max(front.yaml.replace(/\r?\n$/, '').length, 0), front.firstLine);
  const problems: Problem[] = doc.errors.map((error) => ({
    path: file,
    line: Math.min(lineOfOffset(lines, error.pos[0], front.firstLine), lastLine),
    message: describeYamlError(error, front.yaml),
  }));
  if (problems.length > 0) return failed(file, problems);
  if (doc.contents !== null && !isMap(doc.contents)) {
    return failed(file, [{ path: file, line: front.firstLine, message: `front-matter is not a mapping (${expectedShape})` }]);
  }
  const raw = (doc.toJS() ?? {}) as Record<string, unknown>;
  const declared = typeof raw.id === 'string' || typeof raw.id === 'number' ? String(raw.id) : undefined;
  const declaredId = declared !== undefined && ID_PATTERN.test(declared) ? declared : undefined;
  const keyLines: Record<string, number> = {};
  for (const pair of isMap(doc.contents) ? doc.contents.items : []) {
    const key = pair.key as { value?: unknown; range?: [number, number, number] };
    if (isScalar(pair.key) && key.range) keyLines[String(key.value)] = lineOfOffset(lines, key.range[0], front.firstLine);
  }
  const result = taskSchema.safeParse(raw);
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
    return failed(file, problems, declaredId);
  }
  const data = result.data;
  const statusText = typeof raw.status === 'string' ? raw.status : '';
  return {
    task: {
      id: data.id,
      title: data.title,
      status: data.status,
      priority: data.priority,
      type: data.type,
      epic: data.epic ?? undefined,
      role: data.role,
      dependsOn: data.depends_on ?? data.dependencies ?? [],
      paths: data.paths,
      labels: data.labels,
      review: data.review,
      lock: data.lock ?? undefined,
      file,
      order,
      dialect: /[A-Z ]/.test(statusText) || ('dependencies' in raw && !('depends_on' in raw)) ? 'backlog.md' : 'crewtree',
      lines: keyLines,
      body: front.body,
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
