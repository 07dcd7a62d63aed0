import { areaCodeOf, normalizePhone } from './phone.util';

describe('normalizePhone', () => {
  it.each([
    ['(512) 555-0142', '+15125550142'],
    ['512.555.0142', '+15125550142'],
    ['1-512-555-0142', '+15125550142'],
    ['+1 512 555 0142', '+15125550142'],
    ['+44 20 7946 0958', '+442079460958'],
    ['416-555-0199', '+14165550199'],
  ])('%s → %s', (raw, e164) => expect(normalizePhone(raw)).toBe(e164));

  it.each(['', '   ', '123', '555-0142', 'not a phone', '+1 000 000 0000'])('rejects %j', (raw) => expect(normalizePhone(raw)).toBeUndefined());
});

describe('areaCodeOf', () => {
  it.each([
    ['+15125550142', '512'],
    ['+14165550199', '416'],
    ['+442079460958', undefined],
  ])('%s → %s', (e164, code) => expect(areaCodeOf(e164)).toBe(code));
});
