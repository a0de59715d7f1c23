import { VigilError } from '../../core/index.js';

/**
 * Where in an OTLP request the mapper is, kept as indices so that the happy path builds no
 * strings; only an error turns it into a path like
 * `resourceMetrics[0].scopeMetrics[1].metrics[2].gauge.dataPoints[3].timeUnixNano`.
 */
export class OtlpCursor {
  private readonly names: string[] = [];
  private readonly indices: number[] = [];
  private depth = 0;

  /** Sets level `depth` to `name[index]` (index -1: a plain field) and forgets deeper levels. */
  enter(depth: number, name: string, index: number): void {
    this.names[depth] = name;
    this.indices[depth] = index;
    this.depth = depth + 1;
  }

  /** The dotted path to the current position, plus `field` when given. */
  path(field?: string): string {
    let out = '';
    for (let d = 0; d < this.depth; d++) {
      const i = this.indices[d] as number;
      out += `${d > 0 ? '.' : ''}${this.names[d] as string}${i >= 0 ? `[${i}]` : ''}`;
    }
    if (field !== undefined) out += out.length > 0 ? `.${field}` : field;
    return out.length > 0 ? out : '(root)';
  }

  /** Throws the 400 for a body whose structure is wrong, naming the field and what was expected. */
  fail(field: string, expected: string, got?: unknown): never {
    const shown = got === undefined ? '' : `, got ${describe(got)}`;
    throw new VigilError('bad_data', `${this.path(field)}: expected ${expected}${shown}`);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}
