// A child process that changes one entitlement again and again through the real repository and
// prints `committed <seq> users <n>` after each commit: the load for concurrency and kill -9 tests.
// Usage: node --import tsx test/support/backoffice-writer.ts DATA_DIR SERIAL COUNT FIRST_USERS
// With ORS_BACKOFFICE_DATABASE set (PostgreSQL), the first argument is the signing key file instead.
import { openBackoffice } from '../../src/backoffice/data-dir.js';

const [where, serial, count, first] = process.argv.slice(2);
const database = process.env['ORS_BACKOFFICE_DATABASE'];
const d = await openBackoffice(database ? { database, signingKey: where! } : { dataDir: where! });
for (let i = 0; i < Number(count); i++) {
  const users = Number(first) + i;
  const r = await d.service.setEntitlement(serial!, { users });
  if (r.license) process.stdout.write(`committed ${r.license.seq} users ${users}\n`);
}
await d.close();
