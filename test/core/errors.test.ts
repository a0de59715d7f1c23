import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VigilErrorCode } from '../../core/index.js';
import { errorKinds, httpStatusOf } from '../../core/index.js';

/** The rows of docs/API.md's error table: code, status, errorType. */
function documentedKinds(): Record<string, { status: number; promErrorType: string }> {
  const doc = readFileSync(resolve(import.meta.dirname, '../../docs/API.md'), 'utf8');
  const table = /<!-- error-table:start -->([\s\S]*?)<!-- error-table:end -->/.exec(doc)?.[1] ?? '';
  const out: Record<string, { status: number; promErrorType: string }> = {};
  for (const line of table.split('\n')) {
    const m = /^\| `([a-z_]+)` \| (\d+) \| `([a-z_]+)` \|/.exec(line);
    if (m !== null) out[m[1] as string] = { status: Number(m[2]), promErrorType: m[3] as string };
  }
  return out;
}

describe('error kinds', () => {
  it('docs/API.md lists exactly the table of core/errors.ts', () => {
    expect(documentedKinds()).toEqual(errorKinds);
  });

  // Prometheus 2.42's respondError for the errorTypes it has; Vigil's own codes as HTTP means them.
  const cases: { code: VigilErrorCode; status: number; errorType: string }[] = [
    { code: 'bad_data', status: 400, errorType: 'bad_data' },
    { code: 'execution', status: 422, errorType: 'execution' },
    { code: 'timeout', status: 503, errorType: 'timeout' },
    { code: 'canceled', status: 503, errorType: 'canceled' },
    { code: 'internal', status: 500, errorType: 'internal' },
    { code: 'not_found', status: 404, errorType: 'not_found' },
    { code: 'unavailable', status: 503, errorType: 'unavailable' },
    { code: 'too_many_requests', status: 429, errorType: 'too_many_requests' },
    { code: 'unauthorized', status: 401, errorType: 'unauthorized' },
    { code: 'forbidden', status: 403, errorType: 'forbidden' },
    { code: 'limit_exceeded', status: 400, errorType: 'bad_data' },
  ];
  it.each(cases)('$code answers $status $errorType', ({ code, status, errorType }) => {
    expect(httpStatusOf(code)).toBe(status);
    expect(errorKinds[code].promErrorType).toBe(errorType);
  });
});
