import type { AgentState } from './protocol.js';

type Attr = { key: string; value: { stringValue: string } };

const attr = (key: string, value: string): Attr => ({ key, value: { stringValue: value } });

/**
 * The agent's process states as an OTLP/HTTP JSON metrics request: per process, whether it is up, its
 * restarts since the last apply and its uptime. Gauges only: the platform sees the state as it is now.
 * Points carry `deployment`, `instance` ("etcd/0"), `vigil_job` and `process` (not `job`, which the
 * Prometheus translation takes from service.name).
 */
export function processMetrics(state: AgentState, resource: readonly Attr[], labels: Readonly<Record<string, string>>, nowMs = Date.now()): unknown {
  const t = `${BigInt(nowMs) * 1_000_000n}`;
  const gauge = (name: string, unit: string, value: (p: AgentState['processes'][number]) => number): unknown => ({
    name,
    unit,
    gauge: {
      dataPoints: state.processes.map((p) => ({
        timeUnixNano: t,
        asDouble: value(p),
        attributes: [...Object.entries(labels).map(([k, v]) => attr(k, v)), attr('vigil_job', p.job), attr('process', p.name)],
      })),
    },
  });
  return {
    resourceMetrics: [
      {
        resource: { attributes: resource },
        scopeMetrics: [
          {
            scope: { name: 'vigil.agent' },
            metrics: [
              gauge('vigil_job_process_up', '', (p) => (p.state === 'running' ? 1 : 0)),
              gauge('vigil_job_process_restarts', '', (p) => p.restarts),
              gauge('vigil_job_process_uptime_seconds', 's', (p) => p.uptime_ms / 1000),
            ],
          },
        ],
      },
    ],
  };
}

export { attr };
