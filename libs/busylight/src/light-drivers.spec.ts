import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LIGHT_DRIVERS, matchLight, vidPid } from './light-drivers';

describe('matchLight', () => {
  // IDs: Kuando spec rev 2.2 (27bb:3bca/3bcb/3bcd) plus JnyJny/busylight_core (3bce, 3bcf, 04d8:f848);
  // Embrava from JnyJny docs/hardware/devices/embrava.md and busylight_core; Luxafor 04d8:f372
  // (pyluxa4); blink(1) 27b8:01ed (todbot/blink1).
  it.each([
    [0x27bb, 0x3bcd, 'kuando', 'Busylight Omega'],
    [0x27bb, 0x3bca, 'kuando', 'Busylight Alpha'],
    [0x04d8, 0xf848, 'kuando', 'Busylight Alpha (Microchip VID)'],
    [0x2c0d, 0x0001, 'embrava', 'Blynclight'],
    [0x047f, 0xd005, 'embrava', 'Plantronics Status Indicator'],
    [0x04d8, 0xf372, 'luxafor', 'Luxafor Flag'],
    [0x27b8, 0x01ed, 'blink1', 'blink(1)'],
  ])('%s:%s → %s', (vid, pid, family, model) => {
    expect(matchLight(vid, pid)).toEqual({ driver: expect.objectContaining({ family }), model: expect.objectContaining({ model }) });
  });

  it('ignores other HID devices', () => expect(matchLight(0x046d, 0xc52b)).toBeUndefined());

  it('gives every VID:PID to exactly one family', () => {
    const ids = LIGHT_DRIVERS.flatMap((d) => d.models.map((m) => vidPid(m.vendorId, m.productId)));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('hardware/60-leadline-busylights.rules', () => {
  const rules = readFileSync(path.join(__dirname, '..', '..', '..', 'hardware', '60-leadline-busylights.rules'), 'utf8');
  const models = LIGHT_DRIVERS.flatMap((d) => d.models.map((m) => vidPid(m.vendorId, m.productId)));

  it.each(models)('grants the desk user %s on usb and hidraw', (usb) => {
    const [v, p] = usb.split(':');
    const ids = `ATTRS{idVendor}=="${v}", ATTRS{idProduct}=="${p}", TAG+="uaccess"`;
    expect(rules).toContain(`SUBSYSTEM=="usb", ${ids}`);
    expect(rules).toContain(`SUBSYSTEM=="hidraw", KERNEL=="hidraw*", ${ids}`);
  });

  it('never makes devices world-writable', () => expect(rules.split('\n').filter((l) => !l.startsWith('#'))).not.toContainEqual(expect.stringMatching(/MODE=/)));
});
