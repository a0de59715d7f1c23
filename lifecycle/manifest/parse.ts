import { LineCounter, parseDocument } from 'yaml';
import { VigilError } from '../../core/index.js';
import { manifestSchema } from './schema.js';
import type { Manifest } from './schema.js';

/** Where a zod path points in the YAML text: "instance_groups.0.jobs.1.release (line 14, col 14)". */
function describePath(doc: ReturnType<typeof parseDocument>, lines: LineCounter, path: readonly PropertyKey[]): string {
  const dotted = path.map(String).join('.');
  const label = dotted.length > 0 ? dotted : '(root)';
  // Walk up until a node exists: a missing key is reported at its parent mapping.
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node?.range !== undefined) {
      const pos = lines.linePos(node.range[0]);
      return `${label} (line ${pos.line}, col ${pos.col})`;
    }
  }
  return label;
}

/**
 * Parses and validates a deployment manifest. Errors are VigilError('bad_data') whose message names each
 * offending path in the YAML with its line, and what was expected there.
 */
export function parseManifest(text: string, source = 'manifest'): Manifest {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new VigilError('bad_data', `${source} is not valid YAML: ${doc.errors.map((e) => e.message.split('\n')[0]).join('; ')}`);
  }
  const raw: unknown = doc.toJS();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new VigilError('bad_data', `${source}: expected a mapping at the top level`);
  const result = manifestSchema.safeParse(raw);
  if (!result.success) {
    const msgs = result.error.issues.map((i) => `${describePath(doc, lines, i.path)}: ${i.message}`);
    throw new VigilError('bad_data', `${source} is invalid: ${msgs.join('; ')}`);
  }
  return result.data;
}
