import { BlockList, isIP } from 'node:net';

/**
 * A set of addresses and ranges: "10.0.0.7", "10.0.0.0/24", "2001:db8::/32", and Asterisk's own
 * spelling "203.0.113.5/255.255.255.255". Entries it cannot read are returned apart.
 */
export function addressList(entries: string[]): { list: BlockList; unreadable: string[] } {
  const list = new BlockList();
  const unreadable: string[] = [];
  for (const entry of entries) {
    const [address, suffix] = entry.split('/');
    const family = isIP(address);
    if (!family) {
      unreadable.push(entry);
      continue;
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    const bits = suffix === undefined ? (family === 4 ? 32 : 128) : /^\d+$/.test(suffix) ? Number(suffix) : maskBits(suffix);
    if (bits === null) unreadable.push(entry);
    else list.addSubnet(address, bits, type);
  }
  return { list, unreadable };
}

export function contains(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** 255.255.255.0 → 24; null when not a contiguous IPv4 mask. */
function maskBits(mask: string): number | null {
  if (isIP(mask) !== 4) return null;
  const value = mask.split('.').reduce((n, octet) => (n << 8) | Number(octet), 0) >>> 0;
  const bits = 32 - Math.log2((~value >>> 0) + 1);
  return Number.isInteger(bits) ? bits : null;
}
