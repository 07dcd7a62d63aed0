import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RecordingTransport, parseSimulatedDevices, readRecording } from './recording.transport';

describe('parseSimulatedDevices', () => {
  it('takes families and vid:pid pairs', () => {
    expect(parseSimulatedDevices('kuando, 2c0d:0001')).toEqual([
      { id: 'sim-0', vendorId: 0x27bb, productId: 0x3bca, product: 'simulated Busylight Alpha' },
      { id: 'sim-1', vendorId: 0x2c0d, productId: 0x0001, product: 'simulated 2c0d:0001' },
    ]);
  });

  it('refuses unknown names', () => expect(() => parseSimulatedDevices('lava-lamp')).toThrow(/unknown simulated light/));
});

describe('RecordingTransport', () => {
  let dir: string;
  let log: string;
  const at = new Date('2026-01-02T03:04:05.000Z');
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'desk-rec-'));
    log = path.join(dir, 'lights.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records every report as hex, in order', async () => {
    const transport = new RecordingTransport(log, parseSimulatedDevices('kuando,blink1'), () => at);
    const [kuando, blink1] = await transport.enumerate();
    const a = await transport.open(kuando!);
    const b = await transport.open(blink1!);
    await Promise.all([a.write({ type: 'output', bytes: [0x00, 0x10, 0xff] }), b.write({ type: 'feature', bytes: [0x01, 0x63] })]);
    await a.close();
    expect(await readRecording(log)).toEqual([
      { t: at.toISOString(), event: 'open', device: 'sim-0', usb: '27bb:3bca' },
      { t: at.toISOString(), event: 'open', device: 'sim-1', usb: '27b8:01ed' },
      { t: at.toISOString(), event: 'write', device: 'sim-0', usb: '27bb:3bca', report: 'output', hex: '0010ff' },
      { t: at.toISOString(), event: 'write', device: 'sim-1', usb: '27b8:01ed', report: 'feature', hex: '0163' },
      { t: at.toISOString(), event: 'close', device: 'sim-0', usb: '27bb:3bca' },
    ]);
  });

  it('records reports to several lights sent together in the order they were sent', async () => {
    const transport = new RecordingTransport(log, parseSimulatedDevices('kuando,blink1,luxafor'), () => at);
    const handles = await Promise.all((await transport.enumerate()).map((d) => transport.open(d)));
    const sent = Array.from({ length: 60 }, (_, i) => ({ light: i % 3, hex: i.toString(16).padStart(2, '0') }));
    await Promise.all(sent.map(({ light, hex }) => handles[light]!.write({ type: 'output', bytes: [parseInt(hex, 16)] })));
    const writes = (await readRecording(log)).filter((e) => e.event === 'write');
    expect(writes.map((e) => (e.event === 'write' ? `${e.device}:${e.hex}` : ''))).toEqual(sent.map(({ light, hex }) => `sim-${light}:${hex}`));
  });

  it('simulates unplug and replug with the control file', async () => {
    const transport = new RecordingTransport(log, parseSimulatedDevices('kuando,luxafor'));
    const [kuando] = await transport.enumerate();
    const handle = await transport.open(kuando!);

    writeFileSync(transport.controlPath, 'sim-0\n');
    expect((await transport.enumerate()).map((d) => d.id)).toEqual(['sim-1']);
    await expect(handle.write({ type: 'output', bytes: [0] })).rejects.toThrow(/unplugged/);
    await expect(transport.open(kuando!)).rejects.toThrow(/unplugged/);

    writeFileSync(transport.controlPath, '');
    expect(await transport.enumerate()).toEqual([]);

    rmSync(transport.controlPath);
    expect((await transport.enumerate()).map((d) => d.id)).toEqual(['sim-0', 'sim-1']);
    await expect(handle.write({ type: 'output', bytes: [0] })).resolves.toBeUndefined();
  });
});
