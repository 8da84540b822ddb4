/** Maps a field path of the parsed plan back to a line and column in the YAML text. */
import { isMap, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';

export interface TextPosition {
  line: number;
  column: number;
}

function startOf(node: { range?: [number, number, number] | null } | null | undefined): number | undefined {
  return node?.range?.[0];
}

/**
 * The deepest node that exists along `path`: a missing field is reported where its parent starts,
 * so the clerk still lands in the right block.
 */
export function locatePath(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly (string | number)[],
  atKey = false,
): TextPosition {
  let node: unknown = doc.contents;
  let offset = startOf(doc.contents as Node | null) ?? 0;
  for (let index = 0; index < path.length; index += 1) {
    const segment = path[index];
    const isLast = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => {
        const key = item.key as { value?: unknown } | null;
        return key !== null && typeof key === 'object' && String(key.value) === String(segment);
      });
      if (pair === undefined) break;
      const keyNode = pair.key as Node;
      const valueNode = pair.value as Node | null;
      offset = (isLast && atKey ? startOf(keyNode) : (startOf(valueNode) ?? startOf(keyNode))) ?? offset;
      node = valueNode;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (item === undefined) break;
      offset = startOf(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** The YAML node at `path` and the pair holding it (for a map entry), or undefined where the path leaves the document. */
export function nodeAtPath(doc: Document, path: readonly (string | number)[]): { node: unknown; pair?: Pair } | undefined {
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      pair = node.items.find((item) => {
        const key = item.key as { value?: unknown } | null;
        return key !== null && typeof key === 'object' && String(key.value) === String(segment);
      });
      if (pair === undefined) return undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      pair = undefined;
      node = node.items[segment];
      if (node === undefined) return undefined;
    } else {
      return undefined;
    }
  }
  return pair === undefined ? { node } : { node, pair };
}
