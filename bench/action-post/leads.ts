import { normalizePhone } from '@leadline/domain';

/**
 * Distinct valid US mobile numbers: +1 512 NXX XXXX with the exchange NXX in 200–999, leaving out
 * 555 and the N11 service codes, each exchange checked once with the server's own normaliser.
 * About 7.9 million numbers before it runs out.
 */
export class PhoneSequence {
  private readonly exchanges: string[];
  private n = 0;

  constructor(private readonly areaCode = '512') {
    this.exchanges = [];
    for (let x = 200; x <= 999; x++) {
      if (x === 555 || x % 100 === 11) continue;
      const exchange = String(x);
      if (normalizePhone(`+1${areaCode}${exchange}4567`) === `+1${areaCode}${exchange}4567`) this.exchanges.push(exchange);
    }
    if (this.exchanges.length < 100) throw new Error(`only ${this.exchanges.length} valid exchanges in area code ${areaCode}`);
  }

  get issued(): number {
    return this.n;
  }

  next(): string {
    const i = this.n++;
    const exchange = this.exchanges[Math.floor(i / 10_000)];
    if (!exchange) throw new Error('PhoneSequence ran out of numbers');
    return `+1${this.areaCode}${exchange}${String(i % 10_000).padStart(4, '0')}`;
  }
}

/** The JSON body a lead vendor would post, with the given mobile phone. */
export function leadBody(mobilePhone: string): string {
  return JSON.stringify({ FirstName: 'Ada', LastName: 'Bench', MobilePhone: mobilePhone, PropertyState: 'TX', LoanPurpose: 'Purchase', LoanAmount: 350000 });
}

/** Cheap check run on every answer during load (the full envelope is checked on a sample). */
export function looksCreated(body: string): boolean {
  return body.includes('"StatusCode":1') && body.includes('"Message":"Prospect created"');
}
