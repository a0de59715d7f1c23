/** One gauge sample to push: metric name, data point attributes (labels), time (ms) and value. */
export interface GaugePoint {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly t: number;
  readonly v: number;
}

/** An OTLP/JSON metrics body of gauges without resource attributes: each point's labels are its attributes. */
export function otlpGaugeBody(points: readonly GaugePoint[]): string {
  const byName = new Map<string, GaugePoint[]>();
  for (const p of points) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const metrics = [...byName].map(([name, ps]) => ({
    name,
    gauge: {
      dataPoints: ps.map((p) => ({
        timeUnixNano: String(BigInt(p.t) * 1_000_000n),
        asDouble: p.v,
        attributes: Object.entries(p.labels).map(([key, value]) => ({ key, value: { stringValue: value } })),
      })),
    },
  }));
  return JSON.stringify({ resourceMetrics: [{ resource: { attributes: [] }, scopeMetrics: [{ metrics }] }] });
}

/** Pushes gauges to a running Vigil's OTLP/HTTP receiver; throws unless it answers 200. */
export async function pushGauges(url: string, points: readonly GaugePoint[]): Promise<void> {
  const res = await fetch(`${url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: otlpGaugeBody(points) });
  if (res.status !== 200) throw new Error(`OTLP push answered ${res.status}: ${await res.text()}`);
}
