import { Test } from '@nestjs/testing';
import { DomainError, ErrorCode } from '../common/domain-error';
import { LocalPresenceRepository, NumberWithMappings } from './local-presence.repository';
import { LocalPresenceService } from './local-presence.service';
import { NUMBER_PROVIDER, NumberProvider } from './number-provider';

const ORG = 'org-1';

/** A provider selling from a fixed list, recording what it was asked. */
function aProvider(free: Record<string, string[]>) {
  const released: string[] = [];
  const provider: NumberProvider = {
    name: 'fake',
    acquire: async (_org, areaCode) => free[areaCode]?.shift() ?? null,
    release: async (_org, number) => void released.push(number),
  };
  return { provider, released };
}

/** An in-memory repository of numbers and mappings. */
function aRepo(opts: { failCreate?: boolean } = {}) {
  const rows: NumberWithMappings[] = [];
  let seq = 0;
  const mapping = (number: NumberWithMappings['number'], areaCode: string) => ({ id: `m${++seq}`, number, areaCode }) as NumberWithMappings['mappings'][number];
  const repo: Partial<LocalPresenceRepository> = {
    createNumber: async (orgId, e164, areaCode) => {
      if (opts.failCreate) throw new Error('disk full');
      const number = { id: `n${++seq}`, number: e164, createdAt: new Date(0), org: { id: orgId } } as NumberWithMappings['number'];
      const row = { number, mappings: [mapping(number, areaCode)] };
      rows.push(row);
      return row;
    },
    getNumber: async (_org, id) => rows.find((r) => r.number.id === id) ?? null,
    deleteNumber: async (id) => void rows.splice(rows.findIndex((r) => r.number.id === id), 1),
    addMappings: async (numberId, areaCodes) => {
      const row = rows.find((r) => r.number.id === numberId)!;
      const taken = areaCodes.filter((c) => row.mappings.some((m) => m.areaCode === c));
      if (taken.length) return { ok: false, alreadyMapped: taken };
      row.mappings.push(...areaCodes.map((c) => mapping(row.number, c)));
      return { ok: true };
    },
    existingMappingIds: async (_org, ids) => rows.flatMap((r) => r.mappings.map((m) => m.id)).filter((id) => ids.includes(id)),
    deleteMappings: async (ids) => {
      for (const r of rows) r.mappings = r.mappings.filter((m) => !ids.includes(m.id));
      return ids.length;
    },
  };
  return repo;
}

async function aService(opts: { free?: Record<string, string[]>; failCreate?: boolean } = {}) {
  const { provider, released } = aProvider(opts.free ?? { '512': ['+15125550901', '+15125550902'] });
  const module = await Test.createTestingModule({
    providers: [LocalPresenceService, { provide: LocalPresenceRepository, useValue: aRepo(opts) }, { provide: NUMBER_PROVIDER, useValue: provider }],
  }).compile();
  return { service: module.get(LocalPresenceService), released };
}

async function errorOf(work: Promise<unknown>): Promise<DomainError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('LocalPresenceService', () => {
  it('purchases a number of the area code and maps it to that area code', async () => {
    const { service } = await aService();
    expect(await service.purchase(ORG, '512')).toMatchObject({ number: '+15125550901', areaCodes: ['512'] });
  });

  it('answers NoNumberAvailable with a warning that says what to do when none is free', async () => {
    const { service } = await aService({ free: {} });
    const err = await errorOf(service.purchase(ORG, '512'));
    expect(err.code).toBe(ErrorCode.NoNumberAvailable);
    expect(err.message).toContain('No number with area code 512 is available');
  });

  it('refuses an invalid area code before asking the provider', async () => {
    const { service } = await aService();
    const err = await errorOf(service.purchase(ORG, '911'));
    expect(err.code).toBe(ErrorCode.ValidationFailed);
    expect(err.fields).toEqual([{ field: 'areaCode', message: '911 is a service code (N11), not an area code' }]);
  });

  it('gives the number back when saving the purchase fails', async () => {
    const { service, released } = await aService({ failCreate: true });
    await expect(service.purchase(ORG, '512')).rejects.toThrow('disk full');
    expect(released).toEqual(['+15125550901']);
  });

  it('deletes a number and gives it back; an unknown one is not found', async () => {
    const { service, released } = await aService();
    const bought = await service.purchase(ORG, '512');
    await service.deleteNumber(ORG, bought.id);
    expect(released).toEqual([bought.number]);
    expect((await errorOf(service.deleteNumber(ORG, bought.id))).code).toBe(ErrorCode.NumberNotFound);
  });

  it.each([
    ['new codes', ['737', '830', '737'], { areaCodes: ['512', '737', '830'] }],
    ['a code the number has', ['830', '512'], ErrorCode.MappingExists],
    ['an invalid code', ['737', '011'], ErrorCode.ValidationFailed],
  ])('adding mappings: %s', async (_name, codes, expected) => {
    const { service } = await aService();
    const bought = await service.purchase(ORG, '512');
    const work = service.addMappings(ORG, bought.id, codes);
    if (typeof expected === 'string') expect((await errorOf(work)).code).toBe(expected);
    else expect(await work).toMatchObject(expected);
  });

  it('deletes mappings all or nothing', async () => {
    const { service } = await aService();
    const bought = await service.addMappings(ORG, (await service.purchase(ORG, '512')).id, ['737']);
    const ids = bought.mappings.map((m) => m.id);
    expect((await errorOf(service.deleteMappings(ORG, [ids[0], 'missing']))).code).toBe(ErrorCode.MappingNotFound);
    expect(await service.deleteMappings(ORG, ids)).toEqual({ deleted: 2 });
  });
});
