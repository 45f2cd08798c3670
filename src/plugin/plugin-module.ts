import { ContainerModule } from 'inversify';

/** Binds the plugin's services; later areas (licenses, remote service) add their bindings here. */
export const pluginModule = new ContainerModule(() => {
  // No services yet: the Licenses and Remote Service areas bind theirs here.
});
