// verifyReport: a signed file verifies under the reporting key; one changed byte, another day,
// the other format, another key or a malformed signature does not.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { reportingPublicKeyHex, sha256Hex, signReport, verifyReport } from './signature.ts';

describe('report signatures', () => {
  const seed = new Uint8Array(randomBytes(32));
  const publicKey = reportingPublicKeyHex(seed);
  const content =
    'section,market,zone,metric,value,note\r\nreport,,,day,2026-12-01,Asia/Bangkok\r\n';
  const { sha256, signature } = signReport(seed, '2026-12-01', 'csv', content);
  const file = { day: '2026-12-01', format: 'csv' as const, content, signature, publicKey };

  it('verifies the file it signed, by text or by bytes', () => {
    expect(sha256).toBe(sha256Hex(Buffer.from(content, 'utf8')));
    expect(verifyReport(file)).toBe(true);
    expect(verifyReport({ ...file, content: new Uint8Array(Buffer.from(content, 'utf8')) })).toBe(
      true,
    );
  });

  it('fails after a one-byte change anywhere in the file', () => {
    const bytes = Buffer.from(content, 'utf8');
    for (const i of [0, 17, bytes.length - 1]) {
      const changed = Buffer.from(bytes);
      changed[i] = changed[i]! ^ 0x01;
      expect(verifyReport({ ...file, content: new Uint8Array(changed) })).toBe(false);
    }
  });

  it('binds the day, the format and the key', () => {
    expect(verifyReport({ ...file, day: '2026-12-02' })).toBe(false);
    expect(verifyReport({ ...file, format: 'json' })).toBe(false);
    const other = reportingPublicKeyHex(new Uint8Array(randomBytes(32)));
    expect(verifyReport({ ...file, publicKey: other })).toBe(false);
  });

  it('answers false, never throws, for malformed keys and signatures', () => {
    expect(verifyReport({ ...file, signature: 'zz' })).toBe(false);
    expect(verifyReport({ ...file, publicKey: '00'.repeat(31) })).toBe(false);
    expect(verifyReport({ ...file, signature: '00'.repeat(64) })).toBe(false);
  });
});
