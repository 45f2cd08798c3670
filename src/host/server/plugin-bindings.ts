import type { Container } from 'inversify';
import {
  AboutRegistry,
  AttentionRegistry,
  AuditLog,
  CommandRegistry,
  HostDataDir,
  HostLogger,
  MessageRegistry,
  Notifications,
  PluginDataDir,
  PluginSecrets,
  PluginSettings,
  ProgressService,
  RpcRegistry,
  TreeRegistry,
  type PluginContext,
} from '../api/index.js';

/** Binds every host service of a plugin's context under its token in the plugin's container. */
export function bindHostServices(container: Container, c: PluginContext): void {
  container.bind(PluginSettings).toConstantValue(c.settings);
  container.bind(PluginSecrets).toConstantValue(c.secrets);
  container.bind(AuditLog).toConstantValue(c.audit);
  container.bind(Notifications).toConstantValue(c.notifications);
  container.bind(ProgressService).toConstantValue(c.progress);
  container.bind(HostLogger).toConstantValue(c.logger);
  container.bind(PluginDataDir).toConstantValue(c.dataDir);
  container.bind(HostDataDir).toConstantValue(c.hostDataDir);
  container.bind(CommandRegistry).toConstantValue(c.commands);
  container.bind(TreeRegistry).toConstantValue(c.tree);
  container.bind(RpcRegistry).toConstantValue(c.rpc);
  container.bind(AboutRegistry).toConstantValue(c.about);
  container.bind(AttentionRegistry).toConstantValue(c.attention);
  container.bind(MessageRegistry).toConstantValue(c.messages);
}
