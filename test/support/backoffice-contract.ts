import assert from 'node:assert/strict';
import { createOpenApiAjv, openapi, schemaValidator } from '../../src/backoffice/openapi.js';
import type { ApiResponse } from './backoffice-server.js';

const ajv = createOpenApiAjv();

/**
 * Asserts that a response conforms to the OpenAPI document: the status is documented for the
 * operation, and a JSON body validates (ajv, JSON Schema 2020-12) against the documented schema.
 */
export function assertConforms(method: string, template: string, res: ApiResponse): void {
  const op = openapi.paths[template]?.[method.toLowerCase()];
  assert.ok(op, `${method} ${template} is not in openapi.json`);
  const doc = op.responses[String(res.status)];
  assert.ok(doc, `${method} ${template}: status ${res.status} is not documented (body ${res.text.slice(0, 200)})`);
  const schema = doc.content?.['application/json']?.schema;
  if (!schema) {
    assert.equal(res.text, '', `${method} ${template} ${res.status}: documented without a body`);
    return;
  }
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const validate = schemaValidator(ajv, schema);
  assert.ok(validate(res.body), `${method} ${template} ${res.status}: ${JSON.stringify(validate.errors)} in ${res.text.slice(0, 300)}`);
}
