import type { Observable } from 'rxjs';

/**
 * The serial number of this installation, read from the license the selected license server
 * serves (undefined while none is served). Bound in the plugin container for the Remote Service area.
 */
export interface LicenseSerial {
  readonly serial$: Observable<string | undefined>;
}

export const LicenseSerial = Symbol('LicenseSerial');
