import { blfDeviceName, blfDeviceState } from './blf.util';

describe('blfDeviceState', () => {
  it.each([
    ['available', 'NOT_INUSE'],
    ['unavailable', 'INUSE'],
    ['ringing', 'RINGING'],
  ] as const)('%s → %s', (presence, state) => expect(blfDeviceState(presence)).toBe(state));

  it('names the device after the extension', () => expect(blfDeviceName('1001')).toBe('ext-1001'));
});
