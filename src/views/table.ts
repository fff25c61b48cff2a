/** Left-aligned columns, each as wide as its widest cell; trailing spaces trimmed. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => (indent + cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')).trimEnd();
  return [line(header), ...rows.map(line)];
}
