import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../core/index.js';
import type { Director } from '../director/index.js';
import { directorApi, directorApiPrefix } from './plugin.js';

/** A fastify app with only the director's API, apart from listen(): tests use inject(), `vigil director` listens. */
export async function buildDirectorApp(director: Director, logger?: Logger): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({ ...(logger !== undefined ? { loggerInstance: logger as FastifyInstance['log'] } : {}), disableRequestLogging: true, bodyLimit: 16 * 1024 * 1024 });
  await app.register(directorApi, { prefix: directorApiPrefix, director });
  return app;
}
