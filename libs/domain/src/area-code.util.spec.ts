import { checkAreaCode, checkAreaCodes } from './area-code.util';

describe('checkAreaCode', () => {
  it.each([
    ['512', { ok: true, areaCode: '512' }],
    [' 737 ', { ok: true, areaCode: '737' }],
    ['200', { ok: true, areaCode: '200' }],
    ['999', { ok: true, areaCode: '999' }],
    ['212', { ok: true, areaCode: '212' }],
    [305, { ok: true, areaCode: '305' }],
  ])('accepts %p', (input, expected) => expect(checkAreaCode(input)).toEqual(expected));

  it.each([
    ['012', 'never start with 0 or 1'],
    ['112', 'never start with 0 or 1'],
    ['911', 'service code (N11)'],
    ['411', 'service code (N11)'],
    ['51', 'not a 3-digit area code'],
    ['5125', 'not a 3-digit area code'],
    ['5a2', 'not a 3-digit area code'],
    ['', 'not a 3-digit area code'],
    [null, 'given as a string'],
    [{}, 'given as a string'],
  ])('refuses %p', (input, message) => {
    const check = checkAreaCode(input);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toContain(message);
  });
});

describe('checkAreaCodes', () => {
  it('keeps valid codes once each and reports the invalid ones by index', () => {
    expect(checkAreaCodes(['512', '911', '737', '512', 'x'])).toEqual({
      areaCodes: ['512', '737'],
      errors: [
        { index: 1, message: '911 is a service code (N11), not an area code' },
        { index: 4, message: '"x" is not a 3-digit area code' },
      ],
    });
  });
});
