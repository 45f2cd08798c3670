import { ContainerModule } from 'inversify';
import { PluginContribution } from '../plugin-contribution.js';
import { AnnouncedEvents } from './announced-events.js';
import { EndpointUpdateActions } from './endpoint-actions.js';
import { LicenseUpdateContribution } from './license-update-contribution.js';
import { LicenseUpdateController, UpdateActions } from './license-update-controller.js';

/** The license update as the console sees it: the ORS service's update state, announcements, actions. */
export const licenseUpdateModule = new ContainerModule(({ bind }) => {
  bind(UpdateActions).to(EndpointUpdateActions).inSingletonScope();
  bind(AnnouncedEvents).toSelf().inSingletonScope();
  bind(LicenseUpdateController).toSelf().inSingletonScope();
  bind(PluginContribution).to(LicenseUpdateContribution).inSingletonScope();
});
