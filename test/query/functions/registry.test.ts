import { describe, expect, it } from 'vitest';
import { FUNCTION_IMPLS } from '../../../query/engine/functions/index.js';
import { FUNCTIONS } from '../../../query/index.js';

describe('FUNCTION_IMPLS', () => {
  it('implements exactly the functions whose signatures the parser knows (issue #10: both lists agree)', () => {
    expect([...FUNCTION_IMPLS.keys()].sort()).toEqual([...FUNCTIONS.keys()].sort());
  });

  it.each([...FUNCTIONS.values()].filter((f) => f.returnType === 'scalar').map((f) => f.name))('%s returns a scalar, as its signature says', (name) => {
    const impl = FUNCTION_IMPLS.get(name);
    const args = name === 'scalar' ? [{ kind: 'vector' as const, elements: [] }] : [];
    expect(impl?.(args, { t: 1000, argExprs: [] }).kind).toBe('scalar');
  });
});
