import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as path from 'node:path';
import { SessionStore } from '../../src/backoffice/auth/sessions.js';
import { DEFAULT_THROTTLE, LoginThrottle, throttleDelayMs } from '../../src/backoffice/auth/throttle.js';
import { SqliteBackofficeRepository } from '../../src/backoffice/store/sqlite-repository.js';
import { tempDir } from '../support/processes.js';
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

  it('holds a failing source longer with every failure, caps the hold, forgets old failures and clears on success', async () => {
    const t = await tempDir();
    const repo = new SqliteBackofficeRepository(path.join(t.dir, 'bo.db'));
    try {
      let now = 1_000_000;
      const curve = { baseMs: 100, maxMs: 1_000, forgetAfterMs: 60_000 };
      const th = new LoginThrottle(repo, curve, () => now);
      assert.deepEqual(await th.holdFor('ORG', '10.0.0.1'), { waitMs: 0, failures: 0 });
      const holds: number[] = [];
      for (let i = 1; i <= 6; i++) {
        assert.equal(await th.failed('ORG', '10.0.0.1'), i);
        holds.push((await th.holdFor('ORG', '10.0.0.1')).waitMs);
      }
      assert.deepEqual(holds, [100, 200, 400, 800, 1_000, 1_000]);
      assert.deepEqual(await th.holdFor('ORG', '10.0.0.2'), { waitMs: 0, failures: 0 }, 'another address is not held');
      assert.deepEqual(await th.holdFor('OTHER', '10.0.0.1'), { waitMs: 0, failures: 0 }, 'another organisation is not held');
      now += 400;
      assert.equal((await th.holdFor('ORG', '10.0.0.1')).waitMs, 600, 'the hold counts from the last failure');
      now += 60_001;
      assert.deepEqual(await th.holdFor('ORG', '10.0.0.1'), { waitMs: 0, failures: 0 }, 'forgotten after forgetAfterMs');
      assert.equal(await th.failed('ORG', '10.0.0.1'), 1, 'counting starts afresh');
      await th.succeeded('ORG', '10.0.0.1');
      assert.deepEqual(await th.holdFor('ORG', '10.0.0.1'), { waitMs: 0, failures: 0 });
      assert.equal(throttleDelayMs(0, DEFAULT_THROTTLE), 0);
      assert.equal(throttleDelayMs(100, DEFAULT_THROTTLE), DEFAULT_THROTTLE.maxMs);
    } finally {
      await repo.close();
      await t.cleanup();
    }
  });

  it('resolves tokens to their organisation until they expire, from the database', async () => {
    const t = await tempDir();
    const repo = new SqliteBackofficeRepository(path.join(t.dir, 'bo.db'));
    try {
      let now = 0;
      const s = new SessionStore(repo, 1_000, () => now);
      const { token } = await s.create({ kind: 'organisation', id: 'ORG' });
      assert.deepEqual(await s.resolve(token), { kind: 'organisation', id: 'ORG' });
      assert.deepEqual(await new SessionStore(repo, 1_000, () => now).resolve(token), { kind: 'organisation', id: 'ORG' }, 'another instance knows it');
      assert.equal(await s.resolve(`${token}x`), undefined);
      now = 1_000;
      assert.equal(await s.resolve(token), undefined);
    } finally {
      await repo.close();
      await t.cleanup();
    }
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
