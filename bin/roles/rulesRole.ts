import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import { alertmanagerApi, AlertmanagerSender, alertsApiData, createNotifyMetrics, Dispatcher, RecentWrites, Silences, engineQueryFunc, loadNotifyConfig, RuleFileError, RuleManager, rulesApiData } from '../../alerting/index.js';
import type { NotifierAlert } from '../../alerting/index.js';
import type { TimeSeries } from '../../core/index.js';
import { emptyWriteRequest } from '../../core/index.js';
import type { PushPipeline } from '../../ingest/index.js';
import type { Engine, RulesView } from '../../query/index.js';
import { tenantQueryable } from '../../query/index.js';
import type { Store } from '../../storage/index.js';
import type { Role } from '../role.js';
import { scoped } from '../auth/routeScope.js';

/**
 * The rule evaluator: Prometheus rule files (rules.files, --rule-files) evaluated with the query
 * role's engine over the store, in the default tenant. Recorded series, ALERTS and
 * ALERTS_FOR_STATE go through the ingest pipeline like any write; alerts go to the configured
 * Alertmanagers. Reloads on SIGHUP and POST /-/reload (admin scope); a reload with an invalid
 * file changes nothing and reports which file, group and rule is wrong.
 */
export const rulesRole: Role = {
  name: 'rules',
  dependsOn: ['query', 'ingest'],
  async start(ctx) {
    const cfg = ctx.config.rules;
    const tenant = ctx.config.tenant.default;
    const logger = ctx.logger.child({ component: 'rules' });
    const engine = ctx.services.get<Engine>('engine');
    const queryable = tenantQueryable(ctx.services.get<Store>('store'), tenant);
    const pipeline = ctx.services.get<PushPipeline>('pipeline');
    const sender = new AlertmanagerSender({ urls: cfg.alertmanagers, registry: ctx.registry, logger: logger.child({ component: 'notifier' }) });

    // Rules read their own latest output at once (the store sees it after the writer's batch), so
    // that a rule reading what an earlier rule of the round recorded sees it, as in Prometheus.
    const recent = new RecentWrites(Math.max(60_000, 4 * ctx.config.writer.maxBatchWaitMs));
    const write = async (series: readonly TimeSeries[]): Promise<void> => {
      recent.add(series);
      const result = await pipeline.push({ ...emptyWriteRequest(tenant), series });
      if (result.errorMessage !== '') logger.warn({ rejected: result.rejected.samples, error: result.errorMessage }, 'the pipeline refused part of the rules output');
    };
    // The in-process dispatcher (--notify-config) is rebuilt on every reload, as Alertmanager's is;
    // its notification log on disk carries what was delivered across reloads and restarts.
    const notifyLogger = logger.child({ component: 'notify' });
    const notifyMetrics = createNotifyMetrics(ctx.registry);
    const silences = new Silences(join(ctx.config.dataDir, 'notify', 'silences.json'));
    const newDispatcher = (): Dispatcher | undefined =>
      ctx.config.notify.configFile === ''
        ? undefined
        : new Dispatcher({
            config: loadNotifyConfig(ctx.config.notify.configFile),
            metrics: notifyMetrics,
            logger: notifyLogger,
            logFile: join(ctx.config.dataDir, 'notify', 'nflog.json'),
            externalURL: cfg.externalUrl,
            allowLinkLocal: ctx.config.notify.allowLinkLocal,
            silences,
          });
    let dispatcher = newDispatcher();
    const notify = (alerts: readonly NotifierAlert[]): void => {
      sender.send(alerts);
      dispatcher?.receive(alerts);
    };
    const manager = new RuleManager({
      env: { query: engineQueryFunc(engine, recent.wrap(queryable)), externalLabels: cfg.externalLabels, externalURL: cfg.externalUrl },
      sinks: { write, notify },
      queryable,
      registry: ctx.registry,
      logger,
      files: cfg.files,
      evaluationIntervalMs: cfg.evaluationIntervalMs,
      resendDelayMs: cfg.resendDelayMs,
      outageToleranceMs: cfg.outageToleranceMs,
      forGracePeriodMs: cfg.forGracePeriodMs,
    });
    // A bad rule file at start-up stops the process, as it stops Prometheus.
    await manager.reload();
    const view: RulesView = {
      tenant,
      rules: (type) => rulesApiData(manager.ruleGroups(), type),
      alerts: () => alertsApiData(manager.ruleGroups()),
    };
    ctx.services.set('rulesView', view);

    const reload = async (): Promise<string | undefined> => {
      try {
        const next = newDispatcher(); // validated first: a bad file changes nothing
        await manager.reload();
        const old = dispatcher;
        dispatcher = next;
        await old?.stop();
        return undefined;
      } catch (err) {
        const message = err instanceof RuleFileError ? err.message : (err as Error).message;
        logger.error({ err: message }, 'reloading rules failed; the previous rules keep running');
        return message;
      }
    };
    const onHup = (): void => void reload();
    process.on('SIGHUP', onHup);
    await ctx.http.register(
      scoped('admin', async (app: FastifyInstance) => {
        // Prometheus answers 200 with an empty body, or 500 with the reason.
        app.route({
          method: ['POST', 'PUT'],
          url: '/-/reload',
          handler: async (_req, reply) => {
            const error = await reload();
            if (error === undefined) return reply.code(200).send('');
            return reply.code(500).type('text/plain').send(`failed to reload config: ${error}\n`);
          },
        });
      }),
    );
    // Alertmanager's API v2 over the dispatcher, for amtool and Grafana: reads need the read scope,
    // posting alerts the ingest scope, silences the admin scope.
    const dispatcherOf = (): Dispatcher | undefined => dispatcher;
    await ctx.http.register(scoped('read', alertmanagerApi), { dispatcher: dispatcherOf, silences, part: 'read' });
    await ctx.http.register(
      scoped('ingest', async (app: FastifyInstance) => {
        app.addHook('onRoute', (route) => {
          // Silences change what pages: they need admin; alerts only need ingest.
          if (route.url.startsWith('/api/v2/silence')) route.config = { ...(route.config ?? {}), scope: 'admin' } as typeof route.config;
        });
        await app.register(alertmanagerApi, { dispatcher: dispatcherOf, silences, part: 'write' });
      }),
    );
    return {
      stop: async () => {
        process.off('SIGHUP', onHup);
        await manager.stop();
        await dispatcher?.stop();
        await sender.shutdown();
      },
    };
  },
};
