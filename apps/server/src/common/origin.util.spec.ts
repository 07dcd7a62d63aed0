import { socketOriginAllowed } from './origin.util';

describe('socketOriginAllowed', () => {
  it.each([
    ['no Origin (desk daemon)', undefined, 'leadline.example.com', [], true],
    ['the server itself', 'https://leadline.example.com', 'leadline.example.com', [], true],
    ['the server on a port', 'http://127.0.0.1:3000', '127.0.0.1:3000', [], true],
    ['another site', 'https://evil.example.net', 'leadline.example.com', [], false],
    ['a look-alike host', 'https://leadline.example.com.evil.net', 'leadline.example.com', [], false],
    ['same host, other port', 'http://127.0.0.1:4000', '127.0.0.1:3000', [], false],
    ['a named origin', 'https://crm.example.com', 'leadline.example.com', ['https://crm.example.com'], true],
    ['a garbled Origin', 'null', 'leadline.example.com', [], false],
    ['no Host header', 'https://leadline.example.com', undefined, [], false],
  ])('%s', (_name, origin, host, allowed, expected) => {
    expect(socketOriginAllowed({ origin, host, allowed })).toBe(expected);
  });
});
