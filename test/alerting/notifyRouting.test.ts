import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchRoutes, parseNotifyConfig } from '../../alerting/index.js';

const AMTOOL = '/usr/bin/amtool';
const file = join(import.meta.dirname, 'data', 'notify.yml');
const config = parseNotifyConfig('notify.yml', readFileSync(file, 'utf8'));

describe('the routing tree (Alertmanager semantics)', () => {
  it.each<{ labels: Record<string, string>; receivers: string[] }>([
    { labels: { alertname: 'A' }, receivers: ['default'] },
    { labels: { alertname: 'A', severity: 'page' }, receivers: ['pager'] },
    { labels: { alertname: 'A', severity: 'page', team: 'db' }, receivers: ['pager', 'storage'] },
    { labels: { alertname: 'A', team: 'storage', env: 'dev' }, receivers: ['blackhole'] },
    { labels: { alertname: 'A', team: 'dbx' }, receivers: ['default'] },
    { labels: { alertname: 'A', service: 'web' }, receivers: ['frontend'] },
    { labels: { alertname: 'A', service: 'webx' }, receivers: ['default'] },
  ])('$labels → $receivers', ({ labels, receivers }) => {
    expect(matchRoutes(config.route, labels).map((r) => r.receiver)).toEqual(receivers);
    // Debian's amtool routes the same labels through the same file to the same receivers.
    if (existsSync(AMTOOL)) {
      const args = ['config', 'routes', 'test', `--config.file=${file}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)];
      expect(spawnSync(AMTOOL, args, { encoding: 'utf8' }).stdout.trim()).toBe(receivers.join(','));
    }
  });

  it('inherits grouping and timing from the parent route', () => {
    const [storage] = matchRoutes(config.route, { team: 'db' });
    expect(storage).toMatchObject({ groupBy: ['alertname'], groupWaitMs: 100, groupIntervalMs: 300, repeatIntervalMs: 3600_000 });
    const [pager] = matchRoutes(config.route, { severity: 'page' });
    expect(pager?.groupBy).toEqual(['alertname', 'instance']);
  });

  it.each([
    ['route:\n  receiver: nope\nreceivers:\n  - name: a\n', 'route: undefined receiver "nope" used in route'],
    ['route:\n  receiver: a\n  matchers: [\'x="1"\']\nreceivers:\n  - name: a\n', 'root route must not have any matchers'],
    ['route:\n  receiver: a\n  routes:\n    - matchers: [\'x=~"("\']\nreceivers:\n  - name: a\n', 'route.routes.0: invalid regular expression'],
    ['route:\n  receiver: a\nreceivers:\n  - name: a\n    slack_configs: []\n', 'Vigil delivers webhook_configs itself'],
    ['route:\n  receiver: a\nreceivers:\n  - name: a\n    webhook_configs:\n      - url: ftp://x\n', 'receivers.0.webhook_configs.0.url'],
    ['route:\n  receiver: a\n  group_wait: soon\nreceivers:\n  - name: a\n', 'route.group_wait'],
  ])('refuses an invalid file with a message naming the place: %#', (yaml, message) => {
    expect(() => parseNotifyConfig('n.yml', yaml)).toThrow(message);
  });
});
