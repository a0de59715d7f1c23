/** The composition root's public API: for tests, benchmarks and embedding Vigil in-process. */
export * from './moduleGraph.js';
export * from './platform.js';
export type * from './role.js';
export { createHttpServer, registeredRoutes, PUBLIC_ROUTES } from './httpServer.js';
export type { HttpServerOptions, RouteEntry } from './httpServer.js';
export { allRoles, targets } from './roles/index.js';
export { directorRole } from './roles/director.js';
export { TokenStore, tokensFileOf } from './auth/tokenStore.js';
export { checkCredentiallessListener, checkListenSafety, isLoopbackHost } from './auth/listenGuard.js';
export { parseSize } from './commands/nodeAgent.js';
