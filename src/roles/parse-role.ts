import { basename } from 'node:path';
import type { Problem } from '../errors.js';
import { splitFrontMatter } from '../backlog/front-matter.js';
import { isMap, isScalar, parseYaml, type LineCounter, type YamlDocument } from '../yaml/yaml.js';
import type { Role } from './role.js';
import { roleKeys, roleSchema } from './role-schema.js';

const expected = `expected '---', keys such as role: developer and paths: ["src/**"], '---', then the role's prompt`;

/** One role file; a problem carries the file and line. */
export function parseRoleFile(file: string, text: string): { role?: Role; problems: Problem[]; nameLine?: number } {
  const front = splitFrontMatter(text);
  if (!front) return { problems: [{ path: file, line: 1, message: `no YAML front-matter (${expected})` }] };
  const { doc, lines } = parseYaml(front.yaml);
  const at = (offset: number) => lines.linePos(offset).line + front.firstLine - 1;
  const problems: Problem[] = doc.errors.map((error) => ({
    path: file,
    line: at(error.pos[0]),
    message: `invalid YAML: ${error.message.split('\n')[0] ?? error.message} (expected key: value lines)`,
  }));
  if (problems.length > 0) return { problems };
  if (doc.contents !== null && !isMap(doc.contents)) return { problems: [{ path: file, line: front.firstLine, message: `front-matter is not a mapping (${expected})` }] };

  const result = roleSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          problems.push({ path: file, line: lineOf(doc, lines, [key], at), message: `unknown key "${key}" (expected one of ${roleKeys.join(', ')})` });
        }
        continue;
      }
      problems.push({ path: file, line: lineOf(doc, lines, issue.path, at), message: `${issue.path.map(String).join('.')} is not valid (expected ${issue.message})` });
    }
    return { problems };
  }
  const data = result.data;
  const name = data.role ?? basename(file, '.md');
  return {
    role: {
      name,
      ...(data.agent ? { agent: data.agent } : {}),
      paths: data.paths,
      gate: data.gate,
      ...(data.duty ? { duty: data.duty } : {}),
      labels: data.labels,
      epics: data.epics,
      prompt: front.body.trim(),
      file,
    },
    problems,
    nameLine: data.role === undefined ? front.firstLine : lineOf(doc, lines, ['role'], at),
  };
}

/** The line of the deepest node of `path` that has a position, else the line of its key. */
function lineOf(doc: YamlDocument, lines: LineCounter, path: readonly PropertyKey[], at: (offset: number) => number): number {
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return at(node.range[0]);
  }
  if (isMap(doc.contents)) {
    const pair = doc.contents.items.find((item) => isScalar(item.key) && item.key.value === path[0]);
    const key = pair?.key as { range?: [number, number, number] } | undefined;
    if (key?.range) return at(key.range[0]);
  }
  return 1;
}
