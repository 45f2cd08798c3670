export type { AuditEntry, SettingsSnapshot } from '../../common/settings/snapshot.js';
export type { AuditLog, PluginSecrets, PluginSettings } from '../../common/settings/stores.js';
