// YAML through `yaml` (eemeli/yaml): chosen because it keeps source ranges, comments and
// quoting styles, which the surgical writer needs to leave every other byte as it was.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Document, Scalar, visit, type Node, type Pair } from 'yaml';

export { isMap, isScalar, isSeq, LineCounter, Scalar };
export type { Node, Pair };
export type YamlDocument = ReturnType<typeof parseDocument>;

/**
 * The 1-based line (within the YAML text) a problem at `path` should point at: the line of the
 * key that holds the value, or of the list item; for a missing key, its parent's key. 0 when the
 * path leads nowhere (a problem with the whole document).
 */
export function lineOfPath(doc: YamlDocument, lines: LineCounter, path: readonly PropertyKey[]): number {
  for (let depth = path.length; depth >= 1; depth--) {
    const parent = depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1) as unknown[], true);
    const key = path[depth - 1];
    let node: { range?: [number, number, number] | null } | null | undefined;
    if (isMap(parent)) node = parent.items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.key as typeof node;
    else if (isSeq(parent) && typeof key === 'number') node = parent.items[key] as typeof node;
    if (node?.range) return lines.linePos(node.range[0]).line;
  }
  return 0;
}

/** A parse error as a message that says what was expected. */
export function describeYamlError(error: { code: string; message: string; pos: [number, number] }, text: string): string {
  if (error.code === 'DUPLICATE_KEY') {
    const key = /^[^:\r\n]*/.exec(text.slice(error.pos[0]))?.[0]?.trim() ?? '';
    return `duplicate key "${key.replace(/^["']|["']$/g, '')}" (expected each key once)`;
  }
  if (/maximum call stack/i.test(error.message)) return 'invalid YAML: nested too deeply (expected key: value lines)';
  return `invalid YAML: ${error.message.split('\n')[0] ?? error.message} (expected key: value lines)`;
}

/** At most this many aliases are expanded: a file of nested aliases (a "billion laughs") stops here. */
const MAX_ALIASES = 64;

/**
 * Parses YAML, with duplicate keys reported as errors. NOTE: the library's own `uniqueKeys`
 * compares each key with every earlier one (16,000 keys: 6.8 s); a set per mapping is linear.
 * A parser failure (a nesting too deep for the stack) becomes an error of the document.
 */
export function parseYaml(text: string): { doc: YamlDocument; lines: LineCounter } {
  const lines = new LineCounter();
  let doc: YamlDocument;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, schema: 'core' });
  } catch (error) {
    doc = parseDocument('', { lineCounter: new LineCounter() });
    const reason = error instanceof RangeError ? 'nested too deeply' : (error as Error).message;
    doc.errors.push({ code: 'IMPOSSIBLE', message: reason, pos: [0, 0], name: 'YAMLParseError', linePos: undefined } as unknown as YamlDocument['errors'][number]);
    return { doc, lines };
  }
  if (doc.errors.length === 0) {
    visit(doc, {
      Map(_, map) {
        const seen = new Set<unknown>();
        for (const pair of map.items) {
          if (!isScalar(pair.key)) continue;
          const key = pair.key.value;
          if (seen.has(key)) {
            const at = pair.key.range?.[0] ?? 0;
            doc.errors.push({ code: 'DUPLICATE_KEY', message: 'Map keys must be unique', pos: [at, at + 1], name: 'YAMLParseError' } as unknown as YamlDocument['errors'][number]);
          }
          seen.add(key);
        }
      },
    });
  }
  return { doc, lines };
}

/** The offset of the first key that is not a scalar (`[a]: b`, `? {x: 1}`), if any. */
export function firstCollectionKeyOffset(doc: YamlDocument): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key)) {
        offset = (pair.key as Node).range?.[0] ?? 0;
        return visit.BREAK;
      }
    },
  });
  return offset;
}

/** The offset of the first alias (`*name`) in the document, if any. */
export function firstAliasOffset(doc: YamlDocument): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, alias) {
      offset = alias.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * The document as plain data, or why it cannot be: too many aliases to expand (an alias bomb).
 * NOTE: `toJS` counts expanded aliases against `maxAliasCount` and throws past it.
 */
export function toPlainData(doc: YamlDocument): { value: unknown } | { error: string } {
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIASES, mapAsMap: false }) };
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof RangeError) return { error: 'nested too deeply' };
    if (/excessive alias/i.test(message)) return { error: `more than ${MAX_ALIASES} YAML aliases to expand (a file of nested *aliases)` };
    return { error: `invalid YAML: ${message.split('\n')[0] ?? message}` };
  }
}

/** `key: value` as block YAML, with sequences of scalars in flow style (`[A1, A2]`). */
export function renderKeyValue(key: string, value: unknown, stringType?: Scalar.Type): string {
  const doc = new Document({ [key]: value });
  const root = doc.contents;
  if (isMap(root)) {
    for (const pair of root.items) {
      const node = pair.value;
      if (isSeq(node) && node.items.every((item) => isScalar(item))) node.flow = true;
      if (isScalar(node) && typeof node.value === 'string' && stringType) node.type = stringType;
    }
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false, indentSeq: true });
}

export function renderYamlScalar(value: unknown, stringType?: Scalar.Type): string {
  return renderKeyValue('k', value, stringType).replace(/^k: ?/, '').replace(/\n$/, '');
}
