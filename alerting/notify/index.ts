/**
 * Notifications: Alertmanager's own configuration (route tree, receivers with webhook_configs,
 * inhibit_rules) dispatched in process with a durable notification log, and forwarding to
 * external Alertmanagers through their API v2.
 */
export { AlertmanagerSender } from './alertmanagerSender.js';
export type { AlertmanagerSenderOptions } from './alertmanagerSender.js';
export { createNotifyMetrics, Dispatcher, needsUpdate } from './dispatcher.js';
export type { AlertView, DispatcherOptions, NotifyMetrics } from './dispatcher.js';
export { alertmanagerApi } from './alertmanagerApi.js';
export type { AlertmanagerApiOptions } from './alertmanagerApi.js';
export { Silences, postableSilenceSchema } from './silences.js';
export type { PostableSilence, Silence } from './silences.js';
export { loadNotifyConfig, matchRoutes, parseNotifyConfig } from './notifyConfig.js';
export type { InhibitRule, NotifyConfig, ReceiverConfig, Route, WebhookConfig } from './notifyConfig.js';
export { parseMatcher } from './amMatchers.js';
export type { AmMatcher } from './amMatchers.js';
export { alertFingerprint } from './fingerprint.js';
export { ForbiddenDestinationError, isForbiddenAddress, postJson } from './safeHttp.js';
export type { WebhookAlert, WebhookPayload } from './webhookPayload.js';
export { NotificationLog } from './notificationLog.js';
