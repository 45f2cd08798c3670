/**
 * JSON Schema (draft-07 subset understood by ajv) of the signed license payload, version 1.
 * Plain data, so it can be used anywhere; calendar/timestamp checks beyond the patterns are in dates.ts.
 */
const calendarDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const timestamp = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$' } as const;
const identifier = { type: 'string', minLength: 1, maxLength: 128 } as const;

export const licensePayloadSchema = {
  $id: 'https://ors.example/schema/license-payload-v1.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'licenseId', 'serial', 'serviceOrganisation', 'seq', 'issuedAt', 'notBefore', 'expiry',
    'maintenance', 'product', 'features', 'users', 'graceDays',
  ],
  properties: {
    licenseId: identifier,
    serial: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
    serviceOrganisation: identifier,
    seq: { type: 'integer', minimum: 0, maximum: 9007199254740991 },
    supersedes: identifier,
    issuedAt: timestamp,
    notBefore: timestamp,
    expiry: { anyOf: [calendarDate, { const: 'perpetual' }] },
    maintenance: {
      type: 'object',
      additionalProperties: false,
      required: ['start', 'end'],
      properties: { start: calendarDate, end: calendarDate },
    },
    product: identifier,
    features: {
      type: 'array',
      maxItems: 256,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id'],
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
          count: { type: 'integer', minimum: 0, maximum: 1000000 },
          expiry: calendarDate,
        },
      },
    },
    users: { type: 'integer', minimum: 0, maximum: 1000000 },
    graceDays: { type: 'integer', minimum: 0, maximum: 365 },
  },
} as const;
