import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * Self-observability: when tracing.enabled, spans created through @opentelemetry/api anywhere in
 * Vigil are exported over OTLP/HTTP (to Vigil itself or any collector). Off by default: no cost.
 */
export function startTracing(enabled: boolean, endpoint: string): { shutdown(): Promise<void> } {
  if (!enabled) return { shutdown: async () => undefined };
  const sdk = new NodeSDK({ serviceName: 'vigil', traceExporter: new OTLPTraceExporter({ url: endpoint }) });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
