import { CrewError } from '../errors.js';
import { isMap, isScalar, parseYaml, renderKeyValue, renderYamlScalar, Scalar, type Pair, type YamlDocument } from '../yaml/yaml.js';

export interface FrontMatter {
  /** The YAML between the fences, fences excluded. */
  yaml: string;
  /** Offset of the YAML in the file. */
  start: number;
  /** 1-based line of the file on which the YAML starts. */
  firstLine: number;
  body: string;
  newline: '\n' | '\r\n';
}

// NOTE: a leading byte-order mark is allowed (some editors on Windows write one) and kept.
const OPEN = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSE_LINE = /^(?:---|\.\.\.)[ \t]*\r?$/;

/** Whether the file opens a front-matter block (even one that is never closed). */
export function hasOpeningFence(text: string): boolean {
  return OPEN.test(text);
}

/**
 * The closing fence: the first line that is `---` (or `...`). Lines end at `\n` only; a regex
 * in multiline mode would also end them at U+2028 or a lone `\r` inside a quoted value.
 */
function findClose(text: string): { index: number; length: number } | undefined {
  let at = 0;
  while (at <= text.length) {
    const newline = text.indexOf('\n', at);
    const end = newline === -1 ? text.length : newline;
    if (CLOSE_LINE.test(text.slice(at, end))) return { index: at, length: end - at + (newline === -1 ? 0 : 1) };
    if (newline === -1) return undefined;
    at = newline + 1;
  }
  return undefined;
}

export function splitFrontMatter(text: string): FrontMatter | undefined {
  const open = OPEN.exec(text);
  if (!open) return undefined;
  const start = open[0].length;
  const rest = text.slice(start);
  const close = findClose(rest);
  if (!close) return undefined;
  const yaml = rest.slice(0, close.index);
  const newline = open[0].endsWith('\r\n') ? '\r\n' : '\n';
  return { yaml, start, firstLine: 2, body: rest.slice(close.index + close.length), newline };
}

/** A replacement of `text.slice(from, to)`. */
interface Splice {
  from: number;
  to: number;
  text: string;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEndAfter(text: string, offset: number): number {
  let last = offset;
  while (last > 0 && /\s/.test(text[last - 1] ?? '')) last--;
  const newline = text.indexOf('\n', Math.max(last - 1, 0));
  return newline === -1 ? text.length : newline + 1;
}

/**
 * The end of a top-level pair: past the line that ends its value and past every following line
 * indented deeper than the keys (a comment left at the end of a nested block belongs to it),
 * but not past blank lines that only separate it from the next key.
 */
function pairEndAfter(text: string, valueEnd: number, keyIndent: number): number {
  let end = lineEndAfter(text, valueEnd);
  let at = end;
  while (at < text.length) {
    const newline = text.indexOf('\n', at);
    const next = newline === -1 ? text.length : newline + 1;
    const line = text.slice(at, next).replace(/\r?\n$/, '');
    if (line.trim() !== '') {
      const indent = line.length - line.trimStart().length;
      if (indent <= keyIndent) break;
      end = next;
    }
    at = next;
  }
  return end;
}

function indentLines(text: string, indent: string): string {
  return indent === '' ? text : text.replace(/^(?=[^\r\n])/gm, indent);
}

/**
 * Whether removing `pair` would hand the blank lines after it to a keep-chomping block scalar
 * (`|+`, `>+`) just before it, which would change that other value.
 */
function removalFeedsKeptScalar(yaml: string, doc: YamlDocument, pair: Pair, pairEnd: number): boolean {
  if (!isMap(doc.contents)) return false;
  const previous = doc.contents.items[doc.contents.items.indexOf(pair) - 1]?.value;
  if (!isScalar(previous) || !previous.range || (previous.type !== 'BLOCK_LITERAL' && previous.type !== 'BLOCK_FOLDED')) return false;
  const keep = /^[|>][1-9]?\+|^[|>]\+/.test(yaml.slice(previous.range[0]));
  const onlyBlankBetween = yaml.slice(previous.range[1], lineStart(yaml, (pair.key as Scalar).range?.[0] ?? 0)).trim() === '';
  return keep && onlyBlankBetween && /^[ \t]*\r?\n/.test(yaml.slice(pairEnd));
}

function findPair(doc: YamlDocument, key: string): Pair | undefined {
  if (!isMap(doc.contents)) return undefined;
  return doc.contents.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key) as Pair | undefined;
}

/** The indentation of the top-level keys (zero unless the whole front-matter is indented). */
function keyIndentOf(yaml: string, doc: YamlDocument): string {
  const first = isMap(doc.contents) ? (doc.contents.items[0]?.key as Scalar | undefined) : undefined;
  if (!first?.range) return '';
  const indent = yaml.slice(lineStart(yaml, first.range[0]), first.range[0]);
  return /^[ \t]*$/.test(indent) ? indent : '';
}

function spliceFor(yaml: string, doc: YamlDocument, key: string, value: unknown, newline: string): Splice {
  const pair = findPair(doc, key);
  const keyNode = pair?.key as Scalar | undefined;
  const valueNode = pair?.value as Scalar | null | undefined;
  const indent = keyIndentOf(yaml, doc);
  const block = (text: string) => indentLines(text, indent).replace(/\n/g, newline);
  if (!pair || !keyNode?.range) {
    if (value === undefined) return { from: 0, to: 0, text: '' };
    const end = yaml.length;
    const needsNewline = end > 0 && !yaml.endsWith('\n');
    return { from: end, to: end, text: (needsNewline ? newline : '') + block(renderKeyValue(key, value)) };
  }
  const pairStart = lineStart(yaml, keyNode.range[0]);
  const valueEnd = valueNode?.range ? valueNode.range[1] : keyNode.range[1];
  const pairEnd = pairEndAfter(yaml, valueEnd, indent.length);
  if (value === undefined) {
    // NOTE: rare: rather than change the scalar before it, the key stays with a null value.
    if (removalFeedsKeptScalar(yaml, doc, pair, pairEnd)) return { from: pairStart, to: pairEnd, text: block(renderKeyValue(key, null)) };
    return { from: pairStart, to: pairEnd, text: '' };
  }
  const simple = value === null || typeof value !== 'object';
  const inline =
    isScalar(valueNode) &&
    valueNode.range &&
    valueNode.type !== 'BLOCK_FOLDED' &&
    valueNode.type !== 'BLOCK_LITERAL' &&
    !yaml.slice(keyNode.range[0], valueNode.range[1]).includes('\n');
  if (simple && inline && valueNode.range && valueNode.range[1] > valueNode.range[0]) {
    const type = typeof valueNode.value === 'string' ? valueNode.type : undefined;
    return { from: valueNode.range[0], to: valueNode.range[1], text: renderYamlScalar(value, type) };
  }
  const rendered = block(renderKeyValue(key, value));
  return { from: pairStart, to: pairEnd, text: pairEnd === yaml.length && !yaml.endsWith('\n') ? rendered.replace(/\r?\n$/, '') : rendered };
}

/**
 * Sets (or, with `undefined`, removes) top-level front-matter keys. Every byte outside the
 * changed keys' own spans stays as it was: other keys, their order, comments, quoting and
 * the body.
 */
export function setFrontMatterKeys(text: string, changes: Record<string, unknown>): string {
  // NOTE: U+FFFD stands for bytes that were not UTF-8; writing the text back would lose them.
  if (text.includes('\uFFFD')) {
    throw new CrewError('backlog-invalid', 'cannot rewrite a file that is not valid UTF-8 (or holds U+FFFD) byte for byte; nothing was written', {
      hint: 'Save the file as UTF-8 and commit it.',
    });
  }
  const front = splitFrontMatter(text);
  if (!front) throw new CrewError('backlog-invalid', 'cannot edit a file without YAML front-matter');
  let yaml = front.yaml;
  for (const [key, value] of Object.entries(changes)) {
    const { doc } = parseYaml(yaml);
    if (doc.errors.length > 0 || (doc.contents !== null && !isMap(doc.contents))) {
      throw new CrewError('backlog-invalid', 'cannot edit front-matter that is not a valid YAML mapping');
    }
    if (isMap(doc.contents) && doc.contents.flow) {
      throw new CrewError('backlog-invalid', 'cannot edit front-matter written as one {...} flow mapping', {
        hint: 'Write the keys one per line (id: A1, title: ...).',
      });
    }
    const splice = spliceFor(yaml, doc, key, value, front.newline);
    yaml = yaml.slice(0, splice.from) + splice.text + yaml.slice(splice.to);
  }
  return text.slice(0, front.start) + yaml + text.slice(front.start + front.yaml.length);
}

const NOTES_END = '<!-- SECTION:NOTES:END -->';

/**
 * A note in Backlog.md's place for it: inside the `## Implementation Notes` section between its
 * markers (what `backlog task edit --append-notes` writes), the section added when missing.
 */
function appendBacklogMdNote(text: string, note: string, newline: string): string {
  const line = `- ${note.replace(/\r?\n/g, ' ')}${newline}`;
  const end = text.lastIndexOf(NOTES_END);
  if (end !== -1 && text.lastIndexOf('\n', end - 1) === end - 1) return text.slice(0, end) + line + text.slice(end);
  const base = text.endsWith('\n') || text === '' ? text : text + newline;
  return `${base}${newline}## Implementation Notes${newline}${newline}<!-- SECTION:NOTES:BEGIN -->${newline}${line}${NOTES_END}${newline}`;
}

/**
 * Appends a line to the task body under a `## Notes` heading, creating it when missing; a
 * multi-line `detail` (a failure tail) follows as an indented fenced block. Backlog.md files get
 * it in their Implementation Notes.
 */
export function appendNote(text: string, note: string, detail?: string, dialect: 'crewtree' | 'backlog.md' = 'crewtree'): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  if (dialect === 'backlog.md' && !detail?.trim()) return appendBacklogMdNote(text, note, newline);
  let result = text.endsWith('\n') || text === '' ? text : text + newline;
  if (!/^## Notes[ \t]*\r?$/m.test(result)) result += `${newline}## Notes${newline}${newline}`;
  result += `- ${note.replace(/\r?\n/g, ' ')}${newline}`;
  if (detail?.trim()) {
    const lines = detail.replace(/`{3,}/g, '` ` `').trimEnd().split(/\r?\n/);
    result += ['```', ...lines, '```'].map((line) => `  ${line}`.trimEnd() + newline).join('');
  }
  return result;
}
