import { addressList, contains } from './address-list';

describe('addressList', () => {
  const { list, unreadable } = addressList(['10.0.0.7', '192.168.10.0/24', '203.0.113.5/255.255.255.255', '172.16.0.0/255.240.0.0', '2001:db8::/32', 'pbx.example.com', '10.1.0.0/255.0.255.0']);

  it.each([
    ['10.0.0.7', true],
    ['10.0.0.8', false],
    ['192.168.10.200', true],
    ['192.168.11.1', false],
    ['203.0.113.5', true],
    ['203.0.113.6', false],
    ['172.31.255.1', true],
    ['2001:db8::1', true],
    ['2001:db9::1', false],
    ['not an address', false],
  ])('%s → %s', (address, expected) => {
    expect(contains(list, address)).toBe(expected);
  });

  it('returns what it cannot read (host names, holes in a mask)', () => {
    expect(unreadable).toEqual(['pbx.example.com', '10.1.0.0/255.0.255.0']);
  });
});
