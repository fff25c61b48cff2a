// YAML through `yaml` (eemeli/yaml): chosen because it keeps source ranges, comments and
// quoting styles, which the surgical writer needs to leave every other byte as it was.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Document, Scalar, type Node, type Pair } from 'yaml';

export { isMap, isScalar, isSeq, LineCounter, Scalar };
export type { Node, Pair };
export type YamlDocument = ReturnType<typeof parseDocument>;

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
