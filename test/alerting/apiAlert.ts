/** One alert of GET /api/v1/alerts as Prometheus (and Vigil) answer it. */
export interface ApiAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  activeAt: string;
  value: string;
}
