import type { Role, RoleContext, RunningRole } from './role.js';

/**
 * Resolves a requested set of roles and targets into the modules to start, in dependency order.
 * Targets are named sets (`all`); modules pull in their dependencies.
 */
export function resolveModules(requested: readonly string[], roles: ReadonlyMap<string, Role>, targets: ReadonlyMap<string, readonly string[]>): Role[] {
  const order: Role[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: readonly string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`role dependency cycle: ${[...path, name].join(' → ')}`);
    const role = roles.get(name);
    if (role === undefined) {
      const known = [...targets.keys(), ...roles.keys()].sort().join(', ');
      throw new Error(`unknown role "${name}" (known: ${known})`);
    }
    state.set(name, 'visiting');
    for (const dep of role.dependsOn) visit(dep, [...path, name]);
    state.set(name, 'done');
    order.push(role);
  };
  for (const name of requested) {
    const members = targets.get(name);
    if (members !== undefined) for (const m of members) visit(m, []);
    else visit(name, []);
  }
  return order;
}

export interface StartedModules {
  readonly names: readonly string[];
  /** True when every started module that reports readiness is ready. */
  ready(): boolean;
  /** Stops in reverse start order; idempotent; errors are collected, not thrown early. */
  stop(): Promise<void>;
}

/**
 * Starts modules in order. If one fails to start, the ones already started are stopped in
 * reverse order and the error is rethrown: the process never runs half a platform.
 */
export async function startModules(modules: readonly Role[], ctx: RoleContext, onStopError: (name: string, err: unknown) => void): Promise<StartedModules> {
  const running: { name: string; role: RunningRole }[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const { name, role } of [...running].reverse()) {
        try {
          await role.stop();
        } catch (err) {
          onStopError(name, err);
        }
      }
    })();
    return stopping;
  };
  for (const m of modules) {
    try {
      running.push({ name: m.name, role: await m.start(ctx) });
    } catch (err) {
      await stop();
      throw new Error(`role ${m.name} failed to start: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  return {
    names: running.map((r) => r.name),
    ready: () => running.every(({ role }) => role.ready === undefined || role.ready()),
    stop,
  };
}
