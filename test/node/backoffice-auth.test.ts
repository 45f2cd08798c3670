import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoginLockout } from '../../src/backoffice/auth/lockout.js';
import { SessionStore } from '../../src/backoffice/auth/sessions.js';
import { generateVerificationCode, hashVerificationCode, verifyVerificationCode } from '../../src/backoffice/auth/verification-code.js';
import { createOpenApiAjv, openapi, schemaValidator } from '../../src/backoffice/openapi.js';

describe('back office authentication parts', () => {
  it('keeps verification codes only as scrypt hashes and checks them', async () => {
    const code = generateVerificationCode();
    assert.match(code, /^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/);
    const hash = await hashVerificationCode(code);
    assert.ok(hash.startsWith('scrypt$') && !hash.includes(code));
    assert.equal(await verifyVerificationCode(code, hash), true);
    assert.equal(await verifyVerificationCode(`${code}x`, hash), false);
    assert.equal(await verifyVerificationCode(code, 'scrypt$1$1$1$AAAA$short'), false, 'a malformed hash is a refusal, not a crash');
    assert.notEqual(await hashVerificationCode(code), hash, 'salted');
  });

  it('slows down repeated failures, locks after the limit and forgets the lockout when it expires', () => {
    let now = 1_000_000;
    const l = new LoginLockout({ maxFailures: 3, lockoutMs: 60_000, backoffBaseMs: 100, now: () => now });
    assert.deepEqual(l.fail('k'), { delayMs: 100, lockedMs: 0 });
    assert.deepEqual(l.fail('k'), { delayMs: 200, lockedMs: 0 });
    assert.equal(l.lockedFor('k'), 0);
    assert.deepEqual(l.fail('k'), { delayMs: 400, lockedMs: 60_000 });
    assert.equal(l.lockedFor('other'), 0, 'other keys are not affected');
    now += 59_000;
    assert.equal(l.lockedFor('k'), 1_000);
    now += 1_000;
    assert.equal(l.lockedFor('k'), 0);
    assert.deepEqual(l.fail('k'), { delayMs: 100, lockedMs: 0 }, 'a fresh start after the lockout');
  });

  it('forgets failures on success and bounds the keys it tracks', () => {
    const l = new LoginLockout({ maxFailures: 2, lockoutMs: 60_000, backoffBaseMs: 1, maxTracked: 10 });
    l.fail('a');
    l.succeed('a');
    assert.equal(l.fail('a').lockedMs, 0);
    for (let i = 0; i < 100; i++) l.fail(`k${i}`);
    assert.ok((l as unknown as { entries: Map<string, unknown> }).entries.size <= 10);
  });

  it('resolves tokens to their organisation until they expire', () => {
    let now = 0;
    const s = new SessionStore(1_000, () => now);
    const { token } = s.create('ORG');
    assert.equal(s.resolve(token), 'ORG');
    assert.equal(s.resolve(`${token}x`), undefined);
    now = 1_000;
    assert.equal(s.resolve(token), undefined);
  });
});

describe('back office OpenAPI document', () => {
  it('is OpenAPI 3.1 and every schema of every operation compiles with its references resolved', () => {
    assert.match(openapi.openapi, /^3\.1\./);
    const ajv = createOpenApiAjv();
    const ids = new Set<string>();
    for (const [p, ops] of Object.entries(openapi.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        assert.ok(op.operationId && !ids.has(op.operationId), `${method} ${p}: unique operationId`);
        ids.add(op.operationId);
        const body = op.requestBody?.content['application/json']?.schema;
        if (body) assert.equal(typeof schemaValidator(ajv, body), 'function');
        for (const [status, r] of Object.entries(op.responses)) {
          assert.match(status, /^[1-5]\d\d$/);
          const schema = r.content?.['application/json']?.schema;
          if (schema) assert.equal(typeof schemaValidator(ajv, schema), 'function');
        }
      }
    }
    assert.ok(ids.size >= 8);
  });
});
