import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { VigilConfig } from '../core/index.js';

/**
 * What every role receives from the composition root. Roles never create their own registries,
 * loggers or HTTP servers: they register on the ones they are given.
 */
export interface RoleContext {
  readonly config: VigilConfig;
  readonly logger: Logger;
  readonly registry: Registry;
  /** The one HTTP server of the process; roles add plugins and routes to it before it listens. */
  readonly http: FastifyInstance;
  /** Services started by earlier roles, looked up by name (e.g. 'store', 'bus'). */
  readonly services: ServiceMap;
}

/** A typed bag of the services roles provide to each other. */
export interface ServiceMap {
  get<T>(name: string): T;
  has(name: string): boolean;
  set(name: string, service: unknown): void;
}

/** A started role: stopped in reverse start order. `stop` must be idempotent. */
export interface RunningRole {
  stop(): Promise<void>;
  /** Readiness contributes to GET /-/ready; a role that is not ready makes the process not ready. */
  ready?(): boolean;
}

/**
 * A module of the single binary. Roles declare the roles they depend on; `vigil start --roles`
 * picks a set, and the composition root starts the set in dependency order.
 */
export interface Role {
  readonly name: string;
  readonly dependsOn: readonly string[];
  start(ctx: RoleContext): Promise<RunningRole>;
}
