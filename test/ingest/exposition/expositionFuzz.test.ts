import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpositionFormat } from '../../../ingest/index.js';
import { DEFAULT_EXPOSITION_LIMITS, ExpositionError, parseExposition } from '../../../ingest/index.js';
import { prng, Rng } from '../fuzzInputs.js';
import { validCases } from './expositionCases.js';
import type { ImportHarness } from './importHarness.js';
import { importHarness } from './importHarness.js';

/**
 * The exposition parser under random and mutated input: every outcome is a parse or an
 * ExpositionError naming a line — never another exception, never a hang, bounded memory.
 * VIGIL_FUZZ_SEED reproduces a run; a failure names its seed, iteration and input.
 */
const SEED = Number(process.env.VIGIL_FUZZ_SEED ?? 0x5eed_0011);
const INPUTS = Number(process.env.VIGIL_FUZZ_INPUTS ?? 100_000);
const OVER_HTTP = 2_000;

const nodeExporter = readFileSync(join(import.meta.dirname, 'data', 'node-exporter.prom'), 'utf8');
const openMetrics = readFileSync(join(import.meta.dirname, 'data', 'openmetrics-families.txt'), 'utf8');
const nodeLines = nodeExporter.split('\n');
const corpus: readonly { text: string; format: ExpositionFormat }[] = [
  ...validCases.map((c) => ({ text: c.text, format: c.format })),
  { text: openMetrics, format: 'openmetrics' },
];
/** Characters that matter to the grammar, and some that should not. */
const SPECIAL = ['{', '}', '"', '\\', '=', ',', ' ', '\t', '#', '\n', '\r', '\0', ':', '.', 'e', '+', '-', 'NaN', 'Inf', '# EOF', '# TYPE ', '# HELP ', '# UNIT ', '\u00e9', '\ud800', '🙂'];
const LIMITS = { ...DEFAULT_EXPOSITION_LIMITS, maxLineLength: 64 * 1024, maxSamples: 50_000 };

function mutate(rng: Rng): { text: string; format: ExpositionFormat; kind: string } {
  const roll = rng.int(100);
  const base = rng.chance(0.3) ? { text: nodeLines.slice(rng.int(nodeLines.length - 40)).slice(0, 1 + rng.int(40)).join('\n'), format: 'prometheus' as const } : rng.pick(corpus);
  const format: ExpositionFormat = rng.chance(0.9) ? base.format : base.format === 'openmetrics' ? 'prometheus' : 'openmetrics';
  let text = base.text;
  if (roll < 5) return { text: String.fromCharCode(...Array.from({ length: rng.int(200) }, () => rng.int(128))), format, kind: 'random ASCII' };
  if (roll < 8) return { text: rng.pick(['{', '"', 'a{', 'a{b="', '# HELP a ', 'a 1 ']).repeat(1 + rng.int(20_000)), format, kind: 'repetition' };
  if (roll < 10) return { text: `m{${Array.from({ length: 1 + rng.int(200) }, (_, i) => `l${i}="${'v'.repeat(rng.int(5000))}"`).join(',')}} 1\n`, format, kind: 'wide label set' };
  if (roll < 12) return { text: `${'x'.repeat(60_000 + rng.int(10_000))} 1\n`, format, kind: 'long line' };
  const edits = 1 + rng.int(6);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(text.length + 1);
    switch (rng.int(5)) {
      case 0: // insert a grammar character
        text = text.slice(0, at) + rng.pick(SPECIAL) + text.slice(at);
        break;
      case 1: // delete a span
        text = text.slice(0, at) + text.slice(at + 1 + rng.int(8));
        break;
      case 2: // truncate
        text = text.slice(0, at);
        break;
      case 3: // duplicate a span
        text = text.slice(0, at) + text.slice(at, at + rng.int(40)) + text.slice(at);
        break;
      default: // replace one character with a random code unit
        text = text.slice(0, at) + String.fromCharCode(rng.int(0x10000)) + text.slice(at + 1);
    }
  }
  return { text, format, kind: `${edits} edits` };
}

describe('exposition parser fuzzing', () => {
  it(`${INPUTS} random and mutated inputs: a parse or an ExpositionError naming a line, never a crash; bounded time and memory`, () => {
    const rng = new Rng(prng(SEED));
    const failures: string[] = [];
    const outcomes = { parsed: 0, refused: 0 };
    let slowestMs = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < INPUTS && failures.length < 5; i++) {
      const input = mutate(rng);
      const started = performance.now();
      try {
        parseExposition(input.text, input.format, LIMITS);
        outcomes.parsed++;
      } catch (err) {
        outcomes.refused++;
        const named = err instanceof ExpositionError && /^line \d+: \S/.test(err.message) && err.message.length < 1024;
        if (!named) failures.push(`seed ${SEED} iteration ${i} (${input.kind}, ${input.format}): ${JSON.stringify(input.text.slice(0, 200))}\n  → ${String(err)}`);
      }
      slowestMs = Math.max(slowestMs, performance.now() - started);
    }
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    console.log(`exposition fuzz: seed ${SEED}, ${INPUTS} inputs, ${JSON.stringify(outcomes)}, slowest ${slowestMs.toFixed(1)} ms, heap +${heapGrowthMb.toFixed(0)} MB`);
    expect(failures, failures.join('\n\n')).toEqual([]);
    // Both outcomes occur often: the mutations reach past the first character.
    expect(outcomes.parsed).toBeGreaterThan(INPUTS / 20);
    expect(outcomes.refused).toBeGreaterThan(INPUTS / 5);
    expect(slowestMs).toBeLessThan(2000);
    expect(heapGrowthMb).toBeLessThan(200);
  }, 120_000);
});

describe('import endpoint fuzzing over HTTP', () => {
  let h: ImportHarness;
  beforeAll(async () => {
    h = await importHarness({ maxRequestBytes: 256 * 1024 });
  });
  afterAll(async () => h.app.close());

  it(`${OVER_HTTP} mutated bodies answer 2xx or 4xx with a JSON error`, async () => {
    const rng = new Rng(prng(SEED + 1));
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < OVER_HTTP && failures.length < 5; i++) {
      const input = mutate(rng);
      const contentType = input.format === 'openmetrics' ? 'application/openmetrics-text' : 'text/plain';
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/import/prometheus', headers: { 'content-type': contentType }, payload: input.text });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      const ok = res.statusCode === 204 || res.statusCode === 200 || (res.statusCode >= 400 && res.statusCode < 500 && typeof (res.json() as { error?: unknown }).error === 'string');
      if (!ok) failures.push(`seed ${SEED + 1} iteration ${i}: ${JSON.stringify(input.text.slice(0, 200))}\n  → ${res.statusCode} ${res.body.slice(0, 300)}`);
    }
    console.log(`import fuzz over HTTP: statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(failures, failures.join('\n\n')).toEqual([]);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(OVER_HTTP / 10);
  }, 120_000);
});
