import { NodeHidTransport, loadNodeHid } from './node-hid.transport';

// node-hid 3.4 loads its bundled prebuilt binary, which links libusb-1.0 on Linux (shared/BUSYLIGHT.md:
// without Debian's libusb-1.0-0 loading fails with ERR_DLOPEN_FAILED). This machine has no lights:
// an empty list is the normal answer and must not throw.
describe('NodeHidTransport', () => {
  it('loads node-hid', async () => {
    const hid = await loadNodeHid();
    expect(typeof hid.devicesAsync).toBe('function');
    expect(hid.getHidapiVersion()).toMatch(/\d+\.\d+/);
  });

  it('enumerates without crashing (an empty list is fine)', async () => {
    const found = await new NodeHidTransport().enumerate();
    expect(Array.isArray(found)).toBe(true);
    for (const d of found) expect(d).toEqual(expect.objectContaining({ id: expect.any(String), vendorId: expect.any(Number), productId: expect.any(Number) }));
  });
});
