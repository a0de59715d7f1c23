import { quote } from '../../core/index.js';
import type { ApiContext, ApiResult } from './apiContext.js';
import { invalidParam } from './params.js';
import type { RulesView } from './rulesView.js';

/** GET /api/v1/rules: type (alert|record) is checked as Prometheus checks it. */
export function rulesHandler(ctx: ApiContext): Promise<ApiResult> {
  const type = ctx.form.get('type').toLowerCase();
  if (type !== '' && type !== 'alert' && type !== 'record') throw invalidParam('type', `not supported value ${quote(type)}`);
  const view = viewOf(ctx);
  return Promise.resolve({ data: view === undefined ? '{"groups":[]}' : JSON.stringify(view.rules(type)) });
}

/** GET /api/v1/alerts: every pending and firing alert (none without a rule evaluator). */
export function alertsHandler(ctx: ApiContext): Promise<ApiResult> {
  const view = viewOf(ctx);
  return Promise.resolve({ data: view === undefined ? '{"alerts":[]}' : JSON.stringify(view.alerts()) });
}

function viewOf(ctx: ApiContext): RulesView | undefined {
  const view = ctx.rules?.();
  return view !== undefined && view.tenant === ctx.tenant ? view : undefined;
}
