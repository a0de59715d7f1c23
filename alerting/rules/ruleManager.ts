import type { Registry } from 'prom-client';
import type { Logger } from '../../core/index.js';
import type { Queryable } from '../../query/index.js';
import type { AlertingRule } from './alertingRule.js';
import { expandGlobs } from './fileGlob.js';
import type { RuleGroupSpec } from './ruleFile.js';
import { loadRuleFile, RuleFileError } from './ruleFile.js';
import type { GroupSinks } from './ruleGroup.js';
import { RuleGroup } from './ruleGroup.js';
import type { RuleMetrics } from './ruleMetrics.js';
import { createRuleMetrics } from './ruleMetrics.js';
import type { RuleEnv } from './ruleTypes.js';

export interface RuleManagerOptions {
  readonly env: RuleEnv;
  readonly sinks: GroupSinks;
  /** Where ALERTS_FOR_STATE is read back after a restart. */
  readonly queryable: Queryable;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Globs of rule files (Prometheus' rule_files). */
  readonly files: readonly string[];
  /** Interval of groups that set none (global evaluation_interval). */
  readonly evaluationIntervalMs: number;
  readonly resendDelayMs: number;
  readonly outageToleranceMs: number;
  readonly forGracePeriodMs: number;
  readonly now?: () => number;
}

/**
 * Loads rule files and runs their groups (Prometheus' rules.Manager). reload() re-reads the
 * files: if any is invalid, nothing changes and the error says which file, group and rule; else
 * unchanged groups keep their alerts, new ones start, removed ones stop and mark their series
 * stale. The first load restores alerts' `for` state from ALERTS_FOR_STATE.
 */
export class RuleManager {
  private groups = new Map<string, RuleGroup>();
  private readonly metrics: RuleMetrics;
  private readonly now: () => number;
  private loaded = false;
  private reloading: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly opts: RuleManagerOptions) {
    this.metrics = createRuleMetrics(opts.registry);
    this.now = opts.now ?? Date.now;
  }

  /** Validates every file (throws RuleFileError naming each problem) without running anything. */
  loadSpecs(): RuleGroupSpec[] {
    const files = expandGlobs(this.opts.files);
    const problems: string[] = [];
    const specs: RuleGroupSpec[] = [];
    for (const f of files) {
      try {
        specs.push(...loadRuleFile(f, this.opts.evaluationIntervalMs));
      } catch (err) {
        if (err instanceof RuleFileError) problems.push(...err.problems);
        else throw err;
      }
    }
    if (problems.length > 0) throw new RuleFileError(problems);
    return specs;
  }

  /** (Re)loads the rule files; serialised, so concurrent reloads (SIGHUP and /-/reload) apply in turn. */
  reload(): Promise<void> {
    const next = this.reloading.then(() => this.apply(this.loadSpecs()));
    this.reloading = next.catch(() => undefined);
    return next;
  }

  private async apply(specs: readonly RuleGroupSpec[]): Promise<void> {
    if (this.stopped) return;
    const restore = this.loaded ? undefined : { queryable: this.opts.queryable, outageToleranceMs: this.opts.outageToleranceMs, forGracePeriodMs: this.opts.forGracePeriodMs };
    const next = new Map<string, RuleGroup>();
    for (const spec of specs) {
      const group = new RuleGroup(spec, {
        env: this.opts.env,
        sinks: this.opts.sinks,
        logger: this.opts.logger,
        metrics: this.metrics,
        resendDelayMs: this.opts.resendDelayMs,
        now: this.now,
        ...(restore === undefined ? {} : { restore }),
      });
      const old = this.groups.get(group.key);
      if (old !== undefined) group.copyStateFrom(old);
      next.set(group.key, group);
    }
    // Stop old groups before starting the new ones, so that no round of both runs at once.
    await Promise.all([...this.groups].map(([key, g]) => g.stop(!next.has(key))));
    this.groups = next;
    this.loaded = true;
    for (const g of next.values()) g.start();
    this.opts.logger.info({ groups: next.size, rules: [...next.values()].reduce((n, g) => n + g.rules.length, 0) }, 'rules loaded');
  }

  /** The running groups, in file and name order (what /api/v1/rules lists). */
  ruleGroups(): RuleGroup[] {
    return [...this.groups.values()].sort((a, b) => (a.spec.file < b.spec.file ? -1 : a.spec.file > b.spec.file ? 1 : a.spec.name < b.spec.name ? -1 : a.spec.name > b.spec.name ? 1 : 0));
  }

  alertingRules(): AlertingRule[] {
    return this.ruleGroups().flatMap((g) => g.alertingRules());
  }

  /** Stops every group after its running round; series are not marked stale (as Prometheus on shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.reloading;
    await Promise.all([...this.groups.values()].map((g) => g.stop(false)));
  }
}
