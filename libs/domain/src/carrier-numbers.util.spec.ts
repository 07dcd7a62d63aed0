import { checkCarrierNumbers } from './carrier-numbers.util';

describe('checkCarrierNumbers', () => {
  const entry = (value: string, i = 0) => ({ where: `numbers[${i}]`, value });

  it.each([
    ['national format', '(512) 555-0101', { number: '+15125550101', areaCode: '512' }],
    ['E.164', '+12135550102', { number: '+12135550102', areaCode: '213' }],
    ['with the country code', '1-305-555-0103', { number: '+13055550103', areaCode: '305' }],
    ['Canada', '+14165550104', { number: '+14165550104', areaCode: '416' }],
  ])('accepts %s', (_name, value, expected) => expect(checkCarrierNumbers([entry(value)])).toEqual({ numbers: [expected], errors: [] }));

  it.each([
    ['garbage', 'call me', 'is not a valid phone number'],
    ['too short', '512555', 'is not a valid phone number'],
    ['outside NANP', '+442079460958', 'is not a US/Canada (NANP) number'],
  ])('refuses %s', (_name, value, message) => {
    const { numbers, errors } = checkCarrierNumbers([entry(value, 4)]);
    expect(numbers).toEqual([]);
    expect(errors).toEqual([{ where: 'numbers[4]', message: expect.stringContaining(message) }]);
  });

  it('counts a number given twice once', () => {
    expect(checkCarrierNumbers([entry('5125550101'), entry('+15125550101', 1)]).numbers).toHaveLength(1);
  });
});
