// fast-check generators of task files whose every byte span is known: each top-level entry
// (a key with its value, a comment line, a blank line) is generated as text, so a test can say
// exactly which bytes a one-key change may touch.
import fc from 'fast-check';

export type Newline = '\n' | '\r\n';
type Quote = '' | "'" | '"';

export interface Entry {
  /** The top-level key, or undefined for a comment or blank line. */
  key?: string;
  /** The entry's text, newline-terminated, in the file's newline. */
  text: string;
  /** Where the status value sits inside `text` when it is a one-line scalar. */
  statusToken?: { offset: number; length: number; quote: Quote };
}

export interface GeneratedFile {
  text: string;
  newline: Newline;
  /** Offset of the first YAML byte (after the opening fence). */
  yamlStart: number;
  entries: Entry[];
  /** The canonical status text as written, when the file has a one-line status. */
  statusText?: string;
}

export interface LockValue {
  worker: string;
  token: string;
  branch: string;
  worktree: string;
  host: string;
  pid: number;
  since: string;
}

/** Status texts a file may carry, in both dialects. */
export const statusTexts = ['todo', 'in-progress', 'review', 'done', 'blocked', 'To Do', 'In Progress', 'Done'] as const;

const lower = 'abcdefghijklmnopqrstuvwxyz'.split('');
const specials = [' ', ' ', '-', '#', ':', "'", '"', '\\', '/', '*', '[', ']', '{', '}', ',', '&', '!', '|', '>', '%', '@', '`', '\t', 'é', '—', '✓', '\u2028', '\u0085', '0', '7'];
const charUnit = fc.oneof(fc.constantFrom(...lower), fc.constantFrom(...specials), fc.constantFrom('A', 'Z', 'x', '9'));

/** Text on one line with YAML's awkward characters (comment and key markers, quotes, odd line separators). */
export const oneLineText = fc.string({ unit: charUnit, minLength: 0, maxLength: 24 });
const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,9}$/);
const plainText = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 .,()!?/-]{0,20}[A-Za-z0-9)]$/);
const commentText = fc.string({ unit: charUnit, maxLength: 20 }).map((text) => text.replace(/[\u2028\u0085]/g, ' '));

function quoteWith(text: string, quote: Quote): string {
  if (quote === "'") return `'${text.replace(/'/g, "''")}'`;
  if (quote === '"') return JSON.stringify(text);
  return text;
}

/** A scalar token: plain word or text, or any text single- or double-quoted. */
const scalarToken = fc.oneof(
  word,
  plainText,
  oneLineText.map((text) => quoteWith(text, "'")),
  oneLineText.map((text) => quoteWith(text, '"')),
  fc.integer({ min: -5, max: 99999 }).map(String),
  fc.constantFrom('true', 'false', 'null', '~', "''", '""', "'2025-06-09'", '2025-06-09 10:00'),
);

const afterComment = fc.option(commentText.map((text) => ` # ${text}`), { nil: '' });
const indentedComment = (indent: string) => commentText.map((text) => `${indent}# ${text}\n`);

/** `key: value # comment` on one line. */
const inlineEntry = (key: string, token: fc.Arbitrary<string>) => fc.tuple(token, afterComment).map(([value, comment]) => `${key}: ${value}${comment}\n`);

const flowList = fc.array(word, { maxLength: 4 }).map((items) => `[${items.join(', ')}]`);

/** A list as `[a, b]`, as an indented block (`  - a`) or as an indentless block (`- a`). */
const listEntry = (key: string, item: fc.Arbitrary<string> = scalarToken) =>
  fc.oneof(
    inlineEntry(key, flowList),
    fc
      .tuple(afterComment, fc.constantFrom('', '  ', '    '), fc.array(fc.tuple(item, afterComment), { minLength: 1, maxLength: 4 }))
      .map(([comment, indent, items]) => `${key}:${comment}\n${items.map(([item, c]) => `${indent}- ${item}${c}\n`).join('')}`),
  );

/** A block mapping under `key`, its entries indented, with comments and blank lines among them. */
const blockMap = (key: string, fields: fc.Arbitrary<[string, string][]>) =>
  fc
    .tuple(afterComment, fc.constantFrom('  ', '    ', '   '), fields, fc.array(fc.nat(4), { maxLength: 3 }), fc.boolean())
    .chain(([comment, indent, pairs, commentSpots, trailing]) =>
      fc
        .tuple(
          fc.array(afterComment, { minLength: pairs.length, maxLength: pairs.length }),
          fc.array(indentedComment(indent), { minLength: commentSpots.length, maxLength: commentSpots.length }),
          indentedComment(indent),
          fc.boolean(),
        )
        .map(([comments, inner, tail, blankInside]) => {
          const lines = pairs.map(([name, value], index) => `${indent}${name}: ${value}${comments[index] ?? ''}\n`);
          commentSpots.forEach((spot, index) => lines.splice(1 + (spot % Math.max(lines.length, 1)), 0, inner[index] ?? ''));
          if (blankInside && lines.length > 1) lines.splice(1, 0, '\n');
          return `${key}:${comment}\n${lines.join('')}${trailing ? tail : ''}`;
        }),
    );

const lockFields = fc
  .record({
    worker: word,
    token: fc.oneof(fc.stringMatching(/^[0-9a-f]{8}$/).map((t) => (/^\d+$|e/.test(t) ? `'${t}'` : t)), fc.constantFrom('"00001234"', "'5f1c9e2a'")),
    branch: word.map((w) => `ai/${w}/A1-title`),
    worktree: word.map((w) => `.worktrees/ai/${w}/A1-title`),
    host: fc.oneof(word, fc.constant('"my laptop"')),
    pid: fc.integer({ min: 1, max: 99999 }).map(String),
    since: fc.constantFrom('2025-12-02T11:03:23Z', "'2025-12-02T11:03:23.120Z'", '"2025-12-02T11:03:23Z"'),
  })
  .chain((record) => fc.shuffledSubarray(Object.entries(record), { minLength: 7, maxLength: 7 }) as fc.Arbitrary<[string, string][]>);

/** The lock in any of the forms a file may hold: block map (with comments), flow map, null or empty. */
const lockEntry = fc.oneof(
  { weight: 4, arbitrary: blockMap('lock', lockFields) },
  { weight: 1, arbitrary: lockFields.chain((pairs) => inlineEntry('lock', fc.constant(`{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`))) },
  { weight: 1, arbitrary: fc.constantFrom('lock: null\n', 'lock:\n', 'lock: ~ # released\n', 'lock: {}\n') },
);

/** A block scalar (`|`, `>-`...) whose lines may look like fences or comments. */
const blockScalar = (key: string) =>
  fc
    .tuple(fc.constantFrom('|', '|-', '>', '>-', '|+'), fc.array(fc.oneof(plainText, fc.constant('---'), fc.constant('...'), fc.constant('# not a comment'), fc.constant('')), { minLength: 1, maxLength: 4 }))
    .map(([style, lines]) => `${key}: ${style}\n${['text', ...lines].map((line) => (line ? `  ${line}` : '')).join('\n')}\n`);

const unknownValue = (key: string) =>
  fc.oneof(
    inlineEntry(key, scalarToken),
    listEntry(key),
    blockMap(key, fc.array(fc.tuple(word, scalarToken), { minLength: 1, maxLength: 3 }).map((pairs) => dedupe(pairs))),
    blockScalar(key),
  );

function dedupe(pairs: [string, string][]): [string, string][] {
  const seen = new Set<string>();
  return pairs.filter(([name]) => !seen.has(name) && seen.add(name));
}

interface StatusEntry {
  text: string;
  /** The status as written, when it is a one-line scalar. */
  status: string | undefined;
  token?: { offset: number; length: number; quote: Quote };
}

const statusEntry: fc.Arbitrary<StatusEntry> = fc.tuple(fc.constantFrom(...statusTexts), fc.constantFrom<Quote>('', "'", '"'), afterComment, fc.nat(9)).map(([status, quote, comment, shape]) => {
  if (shape === 0) return { text: `status:\n  ${status}\n`, status: undefined };
  const token = quoteWith(status, quote);
  return { text: `status: ${token}${comment}\n`, status, token: { offset: 'status: '.length, length: token.length, quote } };
});

const knownEntries = fc.record(
  {
    id: inlineEntry('id', fc.oneof(word, word.map((w) => `'${w}'`), word.map((w) => `"${w}"`), fc.constantFrom('task-35', 'TASK-35', 'A32'))),
    title: fc.oneof(
      { weight: 4, arbitrary: inlineEntry('title', fc.oneof(plainText, oneLineText.map((t) => quoteWith(`T${t}`, '"')), oneLineText.map((t) => quoteWith(`T${t}`, "'")))) },
      { weight: 1, arbitrary: blockScalar('title') },
    ),
    priority: inlineEntry('priority', fc.constantFrom('high', 'medium', 'low', 'High', "'low'", '"medium"')),
    type: inlineEntry('type', fc.constantFrom('feat', 'fix', 'docs', 'chore')),
    epic: inlineEntry('epic', fc.oneof(plainText, word.map((w) => `"${w}"`))),
    role: inlineEntry('role', fc.constantFrom('developer', 'architect', 'test-coverage')),
    depends_on: listEntry('depends_on', word),
    dependencies: listEntry('dependencies', word),
    paths: inlineEntry('paths', fc.constantFrom('[src/api/**]', '["services/events/**", docs/*.md]', '[]')),
    labels: listEntry('labels', fc.oneof(word, oneLineText.map((t) => quoteWith(t, '"')))),
    assignee: inlineEntry('assignee', fc.constantFrom('[]', '["@codex"]')),
    created_date: inlineEntry('created_date', fc.constantFrom("'2025-06-09'", "'2025-06-09 14:22'", '2025-06-09')),
    review: inlineEntry('review', fc.constantFrom('true', 'false')),
  },
  { requiredKeys: ['id', 'title'] },
);

const unknownKeys = fc.uniqueArray(fc.oneof(fc.stringMatching(/^x_[a-z]{1,6}$/), fc.constantFrom('Status', 'lock_note', 'statuses', 'notes')), { maxLength: 4 });

const topComment = commentText.map((text) => `#${text.startsWith(' ') ? '' : ' '}${text}\n`);
const filler = fc.oneof(topComment, fc.constant('\n'));

const bodyLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }).map((text) => text.replace(/[\r\n]/g, '')),
  fc.constantFrom('---', '...', '--- ', '# Title', 'status: done', 'lock:', '  worker: x', '', '- [ ] acceptance'),
);

export interface FileOptions {
  /** Whether the file may have a lock entry (`'maybe'`), must (`'yes'`) or must not (`'no'`). */
  lock?: 'maybe' | 'yes' | 'no';
  /** Whether the file has a status entry. */
  status?: 'maybe' | 'yes' | 'no';
}

/** A whole task file with known entry spans. */
export function taskFile(options: FileOptions = {}): fc.Arbitrary<GeneratedFile> {
  const lockOption = options.lock ?? 'maybe';
  const statusOption = options.status ?? 'maybe';
  return fc
    .record({
      known: knownEntries,
      unknown: unknownKeys.chain((keys) => fc.tuple(...keys.map((key) => unknownValue(key)))),
      status: statusOption === 'no' ? fc.constant(undefined) : statusOption === 'yes' ? statusEntry : fc.option(statusEntry, { nil: undefined }),
      lock: lockOption === 'no' ? fc.constant(undefined) : lockOption === 'yes' ? lockEntry : fc.option(lockEntry, { nil: undefined }),
      fillers: fc.array(filler, { maxLength: 4 }),
      newline: fc.constantFrom<Newline>('\n', '\r\n'),
      fenceSpaces: fc.constantFrom('', '', '', ' ', '\t'),
      body: fc.array(bodyLine, { maxLength: 6 }),
      trailingNewline: fc.boolean(),
      seed: fc.nat(),
    })
    .chain((parts) => {
      const entries: { key?: string; text: string; status?: StatusEntry }[] = [];
      for (const [key, text] of Object.entries(parts.known)) if (text !== undefined) entries.push({ key, text });
      for (const text of parts.unknown) entries.push({ key: /^([^:]+):/.exec(text)?.[1], text });
      if (parts.status) entries.push({ key: 'status', text: parts.status.text, status: parts.status });
      if (parts.lock) entries.push({ key: 'lock', text: parts.lock });
      return fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }).chain((ordered) =>
        fc.array(fc.nat(ordered.length), { minLength: parts.fillers.length, maxLength: parts.fillers.length }).map((spots) => {
          const all: typeof ordered = [...ordered];
          spots.forEach((spot, index) => all.splice(Math.min(spot, all.length), 0, { text: parts.fillers[index] ?? '\n' }));
          return assemble(all, parts);
        }),
      );
    });
}

function assemble(
  raw: { key?: string; text: string; status?: StatusEntry }[],
  parts: { newline: Newline; fenceSpaces: string; body: string[]; trailingNewline: boolean },
): GeneratedFile {
  const nl = parts.newline;
  const convert = (text: string) => text.replace(/\n/g, nl);
  const open = `---${parts.fenceSpaces}${nl}`;
  const entries: Entry[] = raw.map((entry) => {
    const text = convert(entry.text);
    const token = entry.status?.token;
    return token ? { key: entry.key, text, statusToken: token } : { key: entry.key, text };
  });
  const body = parts.body.join(nl);
  const ending = parts.trailingNewline ? nl : '';
  const close = body === '' ? `---${ending}` : `---${nl}${body}${ending}`;
  const text = open + entries.map((entry) => entry.text).join('') + close;
  const statusText = raw.find((entry) => entry.status?.token)?.status?.status;
  return statusText === undefined ? { text, newline: nl, yamlStart: open.length, entries } : { text, newline: nl, yamlStart: open.length, entries, statusText };
}

/** A lock value with awkward strings, to check the writer's quoting. */
export const lockValue: fc.Arbitrary<LockValue> = fc.record({
  worker: fc.oneof(word, oneLineText.filter((text) => text.trim() !== '')),
  token: fc.oneof(fc.stringMatching(/^[0-9a-f]{8}$/), fc.constantFrom('00001234', '1e100', 'true', 'null')),
  branch: word.map((w) => `ai/${w}/A32-add-endpoint`),
  worktree: word.map((w) => `.worktrees/ai/${w}/A32-add-endpoint`),
  host: fc.oneof(word, oneLineText.filter((text) => text.trim() !== '')),
  pid: fc.integer({ min: 1, max: 4_194_304 }),
  since: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString().replace(/\.\d+Z$/, 'Z')),
});

/** Offset in the file where entry `index` starts. */
export function entryOffset(file: GeneratedFile, index: number): number {
  let offset = file.yamlStart;
  for (let i = 0; i < index; i++) offset += file.entries[i]?.text.length ?? 0;
  return offset;
}

/** Offset just past the last entry: where a new key is appended. */
export function yamlEnd(file: GeneratedFile): number {
  return entryOffset(file, file.entries.length);
}
