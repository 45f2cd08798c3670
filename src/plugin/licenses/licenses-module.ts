import { ContainerModule } from 'inversify';
import { PluginDataDir } from '../../host/api/index.js';
import { PluginContribution } from '../plugin-contribution.js';
import { LicenseSerial } from './license-serial.js';
import { LicenseServerBinder } from './license-server-binding.js';
import { LicenseServerChecks } from './license-server-checks.js';
import { LicensesConfig } from './licenses-config.js';
import { LicensesContribution } from './licenses-contribution.js';
import { LicensesController } from './licenses-controller.js';

/** The Licenses area: the selected license server, what it serves, the serial number, the node. */
export const licensesModule = new ContainerModule(({ bind }) => {
  bind(LicensesConfig).toDynamicValue((ctx): LicensesConfig => ({ dataDir: ctx.get<string>(PluginDataDir) }));
  bind(LicenseServerBinder).toSelf().inSingletonScope();
  bind(LicenseServerChecks).toSelf().inSingletonScope();
  bind(LicensesController).toSelf().inSingletonScope();
  bind(LicenseSerial).toService(LicensesController);
  bind(PluginContribution).to(LicensesContribution).inSingletonScope();
});
