/** Notifications: alerts leave through Alertmanager's API v2 (an external Alertmanager today). */
export { AlertmanagerSender } from './alertmanagerSender.js';
export type { AlertmanagerSenderOptions } from './alertmanagerSender.js';
