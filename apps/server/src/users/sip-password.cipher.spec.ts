import { AppConfig } from '../config/app-config';
import { SipPasswordCipher } from './sip-password.cipher';

const cipherWith = (jwtSecret: string) => new SipPasswordCipher({ auth: { jwtSecret } } as AppConfig);

describe('SipPasswordCipher', () => {
  const cipher = cipherWith('a'.repeat(48));

  it('reads back what it wrote, and never writes the password itself', () => {
    const sealed = cipher.encrypt('s3cret-Password_1');
    expect(sealed).not.toContain('s3cret');
    expect(cipher.decrypt(sealed)).toBe('s3cret-Password_1');
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it.each([
    ['another key', cipherWith('b'.repeat(48)).encrypt('x')],
    ['a changed byte', cipher.encrypt('password').replace(/\.(.)/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`)],
    ['garbage', 'not-a-sealed-value'],
    ['another version', 'v2.a.b.c'],
  ])('refuses %s', (_name, value) => expect(cipher.decrypt(value)).toBeNull());
});
