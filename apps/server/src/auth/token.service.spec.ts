import { createHmac } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { TokenService } from './token.service';

const service = (jwtSecret: string, jwtTtlSeconds = 3600) => new TokenService({ auth: { jwtSecret, jwtTtlSeconds } } as AppConfig);
const b64 = (v: object | string) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

describe('TokenService (its secret as a key object)', () => {
  const secret = 'a-test-secret-of-some-length-0123456789';

  it('verifies the tokens it issues, with their claims', () => {
    const tokens = service(secret);
    expect(tokens.verify(tokens.issue({ sub: 'u1', org: 'o1', role: 'agent' }))).toMatchObject({ sub: 'u1', org: 'o1', role: 'agent' });
  });

  it('accepts a token signed elsewhere with the same secret as a string (HMAC over the same bytes)', () => {
    const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'u2', org: 'o1', role: 'admin', exp: Math.floor(Date.now() / 1000) + 60 })}`;
    const token = `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
    expect(service(secret).verify(token).sub).toBe('u2');
  });

  it('refuses a token of another secret, an expired one and an unsigned one', () => {
    const other = service('another-secret-of-some-length-987654321').issue({ sub: 'u1', org: 'o1', role: 'agent' });
    expect(() => service(secret).verify(other)).toThrow(/invalid or expired/);
    const expired = service(secret, -10).issue({ sub: 'u1', org: 'o1', role: 'agent' });
    expect(() => service(secret).verify(expired)).toThrow(/invalid or expired/);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'u1', org: 'o1', role: 'admin' })}.`;
    expect(() => service(secret).verify(unsigned)).toThrow(/invalid or expired/);
  });
});
