import { parseArgs } from 'node:util';
import { ConfigError, coerceValue, loadConfig, setPath } from '../../core/index.js';
import type { CommandMap } from './command.js';

/** CLI flags of `vigil start` and the config keys they set (flags win over file and env). */
const startFlags = {
  config: { type: 'string' },
  'data-dir': { type: 'string', key: 'dataDir' },
  'http-port': { type: 'string', key: 'http.port' },
  'http-host': { type: 'string', key: 'http.host' },
  'tls-cert': { type: 'string', key: 'http.tls.cert' },
  'tls-key': { type: 'string', key: 'http.tls.key' },
  auth: { type: 'boolean', key: 'auth.enabled' },
  'insecure-no-auth': { type: 'boolean', key: 'auth.insecureNoAuth' },
  roles: { type: 'string', key: 'roles' },
  cpi: { type: 'string', key: 'director.cpi' },
  'log-level': { type: 'string', key: 'log.level' },
  'scrape-config': { type: 'string', key: 'scrape.configFile' },
  'rule-files': { type: 'string', key: 'rules.files' },
  'alertmanager-url': { type: 'string', key: 'rules.alertmanagers' },
  'notify-config': { type: 'string', key: 'notify.configFile' },
  'syslog-port': { type: 'string', key: 'ingest.syslog.port' },
  'syslog-host': { type: 'string', key: 'ingest.syslog.host' },
  'syslog-tls-cert': { type: 'string', key: 'ingest.syslog.tls.cert' },
  'syslog-tls-key': { type: 'string', key: 'ingest.syslog.tls.key' },
  'graphite-port': { type: 'string', key: 'ingest.graphite.port' },
  'graphite-host': { type: 'string', key: 'ingest.graphite.host' },
  'wavefront-port': { type: 'string', key: 'ingest.wavefront.port' },
  'wavefront-host': { type: 'string', key: 'ingest.wavefront.host' },
  help: { type: 'boolean' },
} as const;

const startHelp = `usage: vigil start [flags]

Runs the platform. With no --roles, every role runs in this one process on the embedded bus and DuckDB.

flags:
  --config FILE       YAML configuration file (also VIGIL_CONFIG)
  --data-dir DIR      where the bus segments and the store live (default ./data; VIGIL_DATA_DIR)
  --http-port N       HTTP port for every API (default 8470; VIGIL_HTTP_PORT)
  --http-host ADDR    address to listen on (default 127.0.0.1; VIGIL_HTTP_HOST). Any other
                      address needs --auth, or --insecure-no-auth to accept the risk
  --tls-cert FILE     PEM certificate: serve HTTPS (with --tls-key; VIGIL_HTTP__TLS__CERT)
  --tls-key FILE      PEM private key (VIGIL_HTTP__TLS__KEY)
  --auth              require an API token on every route but /-/healthy and /-/ready
                      (VIGIL_AUTH__ENABLED=true); create tokens with \`vigil token create\`
  --insecure-no-auth  allow a non-loopback --http-host without authentication (warns on start)
  --roles LIST        comma-separated roles or targets: all | ingest,writer,query,rules,collector,scraper,director (VIGIL_ROLES)
  --scrape-config FILE  Prometheus scrape configuration (prometheus.yml's global and scrape_configs) for
                      the scraper role (VIGIL_SCRAPE__CONFIG_FILE). Vigil scrapes its own metrics as
                      job "vigil" regardless (scrape.self: false turns that off)
  --cpi NAME          how the director creates VMs: process | dummy (VIGIL_DIRECTOR__CPI)
  --log-level LEVEL   fatal|error|warn|info|debug|trace|silent (VIGIL_LOG_LEVEL)
  --rule-files GLOBS  comma-separated globs of Prometheus rule files to evaluate (VIGIL_RULES__FILES;
                      config rules.files). Reload: SIGHUP or POST /-/reload (admin scope)
  --alertmanager-url URLS  comma-separated Alertmanager base URLs alerts are sent to
                      (POST /api/v2/alerts; VIGIL_RULES__ALERTMANAGERS; config rules.alertmanagers)
  --notify-config FILE  Alertmanager's YAML (route, receivers' webhook_configs, inhibit_rules):
                      Vigil routes, groups and delivers alerts itself (VIGIL_NOTIFY__CONFIG_FILE)

receivers on their own ports (off unless given a port; loopback unless --*-host says otherwise,
which needs --insecure-no-auth since these protocols carry no credentials):
  --syslog-port N        syslog on TCP and UDP port N: RFC 5424 and RFC 3164, octet counting or
                         newline framing (VIGIL_INGEST__SYSLOG__PORT)
  --syslog-host ADDR     (default 127.0.0.1; VIGIL_INGEST__SYSLOG__HOST)
  --syslog-tls-cert FILE PEM certificate: syslog over TLS (RFC 5425) on the TCP port, UDP off
                         (with --syslog-tls-key; VIGIL_INGEST__SYSLOG__TLS__CERT)
  --syslog-tls-key FILE  PEM private key (VIGIL_INGEST__SYSLOG__TLS__KEY)
  --graphite-port N      Graphite plaintext over TCP (VIGIL_INGEST__GRAPHITE__PORT)
  --graphite-host ADDR   (default 127.0.0.1; VIGIL_INGEST__GRAPHITE__HOST)
  --wavefront-port N     Wavefront data format over TCP (VIGIL_INGEST__WAVEFRONT__PORT)
  --wavefront-host ADDR  (default 127.0.0.1; VIGIL_INGEST__WAVEFRONT__HOST)
`;

/** `vigil start`: runs the platform until SIGTERM/SIGINT; resolves to the exit code. */
export async function runStart(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: startFlags, allowPositionals: false, strict: true });
  if (values.help === true) {
    process.stdout.write(startHelp);
    return 0;
  }
  const flags: Record<string, unknown> = {};
  for (const [flag, spec] of Object.entries(startFlags)) {
    const v = (values as Record<string, unknown>)[flag];
    if ('key' in spec && typeof v === 'string') setPath(flags, spec.key.split('.'), coerceValue(spec.key, v));
    if ('key' in spec && v === true) setPath(flags, spec.key.split('.'), true);
  }
  let config;
  try {
    config = loadConfig({ file: values.config ?? process.env.VIGIL_CONFIG, env: process.env, flags });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`vigil: ${err.message}\nSee \`vigil start --help\` and the configuration reference in README.md.\n`);
      return 2;
    }
    throw err;
  }
  // Loaded only here: the other commands (the node agent above all) must not pay for the server's modules.
  const { startPlatform } = await import('../platform.js');
  let platform;
  try {
    platform = await startPlatform(config);
  } catch (err) {
    // A bad file a role reads (the scrape configuration) is a configuration error like any other.
    if (err instanceof Error && err.cause instanceof ConfigError) {
      process.stderr.write(`vigil: ${err.cause.message}\nSee \`vigil start --help\` and the configuration reference in README.md.\n`);
      return 2;
    }
    throw err;
  }
  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals += 1;
      if (signals > 1) {
        platform.logger.warn({ signal }, 'second signal: exiting without draining');
        resolve(1);
        return;
      }
      platform.logger.info({ signal }, 'shutting down');
      platform.stop().then(
        () => resolve(0),
        (err: unknown) => {
          platform.logger.error({ err }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

export const platformCommands: CommandMap = {
  start: { summary: 'run the platform (all roles in one process by default)', run: runStart },
};
