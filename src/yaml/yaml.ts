// YAML through `yaml` (eemeli/yaml): chosen because it keeps source ranges, comments and
// quoting styles, which the surgical writer needs to leave every other byte as it was.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Document, Scalar, type Node, type Pair } from 'yaml';

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
  return `invalid YAML: ${error.message.split('\n')[0] ?? error.message} (expected key: value lines)`;
}

export function parseYaml(text: string): { doc: YamlDocument; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, schema: 'core' });
  return { doc, lines };
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
