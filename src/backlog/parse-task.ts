import type { Problem } from '../errors.js';
import { splitFrontMatter } from './front-matter.js';
import { taskSchema } from './task-schema.js';
import type { Task } from './task.js';
import { isMap, isScalar, parseYaml, type LineCounter, type YamlDocument } from './yaml.js';

export interface ParsedTask {
  task: Task | undefined;
  problems: Problem[];
}

const expectedShape = "expected the file to start with '---', keys such as id: A1 and title: ..., then '---'";

function lineOfOffset(lines: LineCounter, offset: number, firstLine: number): number {
  return lines.linePos(offset).line + firstLine - 1;
}

function lineOfPath(doc: YamlDocument, lines: LineCounter, path: readonly PropertyKey[], firstLine: number): number {
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lineOfOffset(lines, node.range[0], firstLine);
    if (depth === 1 && isMap(doc.contents)) {
      const pair = doc.contents.items.find((item) => isScalar(item.key) && item.key.value === path[0]);
      const key = pair?.key as { range?: [number, number, number] } | undefined;
      if (key?.range) return lineOfOffset(lines, key.range[0], firstLine);
    }
  }
  return firstLine - 1;
}

/** Parses one task file; `order` is its position in the backlog. */
export function parseTask(file: string, text: string, order: number): ParsedTask {
  const front = splitFrontMatter(text);
  if (!front) return { task: undefined, problems: [{ path: file, line: 1, message: `no YAML front-matter (${expectedShape})` }] };
  const { doc, lines } = parseYaml(front.yaml);
  const problems: Problem[] = [];
  for (const error of doc.errors) {
    const line = lineOfOffset(lines, error.pos[0], front.firstLine);
    const first = error.message.split('\n')[0] ?? error.message;
    problems.push({ path: file, line, message: `invalid YAML: ${first} (expected key: value lines)` });
  }
  if (problems.length > 0) return { task: undefined, problems };
  if (!isMap(doc.contents)) {
    return { task: undefined, problems: [{ path: file, line: front.firstLine, message: `front-matter is not a mapping (${expectedShape})` }] };
  }
  const raw = doc.toJS() as Record<string, unknown>;
  const keyLines: Record<string, number> = {};
  for (const pair of doc.contents.items) {
    const key = pair.key as { value?: unknown; range?: [number, number, number] };
    if (isScalar(pair.key) && key.range) keyLines[String(key.value)] = lineOfOffset(lines, key.range[0], front.firstLine);
  }
  const result = taskSchema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '');
      const line = lineOfPath(doc, lines, issue.path, front.firstLine);
      const missing = issue.path.length === 1 && !(key in raw);
      const where = issue.path.map(String).join('.');
      const shown = describeValue(doc.getIn(issue.path as unknown[]));
      problems.push({
        path: file,
        line,
        message: missing ? `missing key "${key}" (expected ${issue.message})` : `${where}${shown} is not valid (expected ${issue.message})`,
      });
    }
    return { task: undefined, problems };
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
  };
}

function describeValue(value: unknown): string {
  if (value === undefined || (typeof value === 'object' && value !== null)) return '';
  const shown = JSON.stringify(value);
  return shown.length > 40 ? '' : ` ${shown}`;
}
