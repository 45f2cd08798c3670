import { createHash } from 'node:crypto';
import { addDays, toCalendarDate } from '../common/license/dates.js';
import { isCodedError } from '../common/errors.js';
import { generateVerificationCode } from './auth/verification-code.js';
import type { BackofficeService } from './backoffice-service.js';
import { createOnce, dataDirLayout } from './data-dir.js';
import { StaffService } from './staff-service.js';
import * as path from 'node:path';

export interface DemoCredentials {
  readonly organisationId: string;
  readonly verificationCode: string;
  readonly serial: string;
  /** The website's demo technician of the demo organisation (issue 14). */
  readonly technician: { readonly name: string; readonly password: string };
  /** The website's demo vendor administrator (changes entitlements, adds releases). */
  readonly vendorAdmin: { readonly name: string; readonly password: string };
}

const ignoreExists = (e: unknown): void => {
  if (!(isCodedError(e) && e.code.endsWith('.exists'))) throw e;
};

/**
 * Seeds a demo organisation, installation, entitlement and two releases (one inside maintenance,
 * one before it), idempotently. The demo code is kept in <data-dir>/demo.json (0600) so later
 * starts print the same credentials: the documented exception to "a code exists only as a hash".
 */
export async function seedDemo(dir: string, service: BackofficeService, now = Date.now()): Promise<DemoCredentials> {
  const base = JSON.parse(
    await createOnce(
      dataDirLayout(dir).demo,
      () => JSON.stringify({ organisationId: 'DEMO-ORG', verificationCode: generateVerificationCode(), serial: 'DEMO-0001' }),
      0o600,
    ),
  ) as Omit<DemoCredentials, 'technician' | 'vendorAdmin'>;
  // The website's demo logins, kept beside it for the same reason (the demo's documented exception).
  const login = async (name: string): Promise<DemoCredentials['technician']> =>
    JSON.parse(await createOnce(path.join(dir, `${name}.json`), () => JSON.stringify({ name, password: generateVerificationCode() }), 0o600)) as DemoCredentials['technician'];
  const technician = await login('demo-technician');
  const vendorAdmin = await login('demo-admin');
  const creds: DemoCredentials = { ...base, technician, vendorAdmin };
  await service.addOrganisation(creds.organisationId, 'Demo print shop', creds.verificationCode).catch(ignoreExists);
  await service.addInstallation(creds.serial, creds.organisationId, 'prepress-suite').catch(ignoreExists);
  const staff = new StaffService(service);
  await staff.addUser(creds.organisationId, technician.name, 'technician', technician.password).catch(ignoreExists);
  await staff.addUser(creds.organisationId, vendorAdmin.name, 'vendor-admin', vendorAdmin.password).catch(ignoreExists);
  const today = toCalendarDate(now);
  if (!(await service.repo.getEntitlement(creds.serial))) {
    await service.setEntitlement(creds.serial, {
      maintenanceStart: addDays(today, -300),
      maintenanceEnd: addDays(today, 65),
      users: 5,
      features: [{ id: 'remote-assistance' }],
      expiry: 'perpetual',
    });
  }
  const release = (version: string, date: string) => ({
    product: 'prepress-suite',
    version,
    releaseDate: date,
    checksum: `sha256:${createHash('sha256').update(version).digest('hex')}`,
    url: `https://downloads.example.com/prepress-suite/${version}/setup.exe`,
  });
  await service.addRelease(release('1.0.0', addDays(today, -400))).catch(ignoreExists);
  await service.addRelease(release('2.0.0', addDays(today, -30))).catch(ignoreExists);
  return creds;
}
