export { SyslogReceiver } from './syslogReceiver.js';
export type { SyslogReceiverOptions } from './syslogReceiver.js';
export { parseSyslog } from './syslogParse.js';
export type { SyslogMessage } from './syslogMessage.js';
