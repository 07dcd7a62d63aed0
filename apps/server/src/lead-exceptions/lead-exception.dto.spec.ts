// The query DTOs through the app's own validation pipe, as a request's query string reaches them.
import { DomainError, ErrorCode } from '../common/domain-error';
import { appValidationPipe } from '../common/validation.pipe';
import { LeadExceptionQueryDto, UnassignedLeadQueryDto } from './lead-exception.dto';

const UUID = '3b241101-e2bb-4255-8caf-4136c566a962';

async function parse(query: Record<string, unknown>, metatype: new () => object = LeadExceptionQueryDto): Promise<Record<string, unknown>> {
  return { ...(await appValidationPipe.transform(query, { type: 'query', metatype, data: undefined })) };
}

async function fieldsRefused(query: Record<string, unknown>, metatype?: new () => object): Promise<string[]> {
  try {
    await parse(query, metatype);
  } catch (err) {
    if (err instanceof DomainError && err.code === ErrorCode.ValidationFailed) return [...new Set(err.fields.map((f) => f.field))];
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
}

describe('LeadExceptionQueryDto', () => {
  it('defaults to the first page of 50', async () => {
    expect(await parse({})).toMatchObject({ page: 1, pageSize: 50 });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['text filters', { name: 'Ada', description: 'spring' }, { name: 'Ada', description: 'spring' }],
    ['comma-separated list', { state: 'tx,CA' }, { state: ['TX', 'CA'] }],
    ['repeated list', { loanPurpose: ['purchase', 'refinance'] }, { loanPurpose: ['purchase', 'refinance'] }],
    ['campaign ids', { campaignId: `${UUID}, ${UUID}` }, { campaignId: [UUID, UUID] }],
    ['100 values', { state: Array.from({ length: 100 }, () => 'TX') }, { state: expect.arrayContaining(['TX']) }],
    ['distribution types', { distribution: 'ring_all,distribute_all' }, { distribution: ['ring_all', 'distribute_all'] }],
    ['lead providers keep their commas', { leadProvider: ['Acme, Inc.', 'Zillow'] }, { leadProvider: ['Acme, Inc.', 'Zillow'] }],
    ['failure reasons', { failureReason: 'No available agents were found,Fatal error' }, { failureReason: ['No available agents were found', 'Fatal error'] }],
    ['number range', { loanAmountMin: '100000', loanAmountMax: '250000.5' }, { loanAmountMin: 100000, loanAmountMax: 250000.5 }],
    ['blank number = no filter', { loanAmountMin: '' }, { loanAmountMin: undefined }],
    ['date range', { createdFrom: '2025-03-01', createdTo: '2025-03-02T10:00:00Z' }, { createdFrom: '2025-03-01', createdTo: '2025-03-02T10:00:00Z' }],
    ["a date-time without a zone (the org's)", { createdFrom: '2025-03-01T10:00:00' }, { createdFrom: '2025-03-01T10:00:00' }],
    ['sort and order', { sort: 'loanAmount', order: 'ASC' }, { sort: 'loanAmount', order: 'asc' }],
    ['showIgnored', { showIgnored: 'true' }, { showIgnored: true }],
    ['paging', { page: '3', pageSize: '200' }, { page: 3, pageSize: 200 }],
  ])('accepts %s', async (_case, query, expected) => {
    expect(await parse(query)).toMatchObject(expected);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['a list of 500 states', { state: Array.from({ length: 500 }, (_, i) => (i % 2 ? 'TX' : 'CA')) }, ['state']],
    ['101 comma-separated states', { state: Array.from({ length: 101 }, () => 'TX').join(',') }, ['state']],
    ['101 campaign ids', { campaignId: Array.from({ length: 101 }, (_, i) => `3b241101-e2bb-4255-8caf-${String(i).padStart(12, '0')}`) }, ['campaignId']],
    ['an unknown state', { state: "TX,' OR 1=1 --" }, ['state']],
    ['a campaign id that is no uuid', { campaignId: "1' OR '1'='1" }, ['campaignId']],
    ['an unknown distribution', { distribution: 'round_robin' }, ['distribution']],
    ['an unknown loan purpose', { loanPurpose: 'yacht' }, ['loanPurpose']],
    ['an unknown failure reason', { failureReason: 'Bad luck' }, ['failureReason']],
    ['a nested object (qs syntax)', { name: { $ne: 'x' } }, ['name']],
    ['a list given for a text filter', { name: ['a', 'b'] }, ['name']],
    ['a huge text', { name: 'x'.repeat(201) }, ['name']],
    ['a non-number amount', { loanAmountMin: 'abc' }, ['loanAmountMin']],
    ['a hex amount', { loanAmountMax: '0x10' }, ['loanAmountMax']],
    ['an infinite amount', { loanAmountMax: '1e400' }, ['loanAmountMax']],
    ['a non-date', { createdFrom: 'not-a-date' }, ['createdFrom']],
    ['an impossible date', { createdTo: '2025-02-30' }, ['createdTo']],
    ['a date-time with a space for the T', { createdFrom: '2025-03-01 10:00:00' }, ['createdFrom']],
    ['a sort column not in the list', { sort: 'password_hash' }, ['sort']],
    ['sort injection', { sort: 'createDate; drop table prospect' }, ['sort']],
    ['a bad order', { order: 'sideways' }, ['order']],
    ['a bad showIgnored', { showIgnored: 'maybe' }, ['showIgnored']],
    ['pageSize 1e9', { pageSize: '1e9' }, ['pageSize']],
    ['page 0', { page: '0' }, ['page']],
    ['a page past any data', { page: '1e20' }, ['page']],
    ['an unknown parameter', { status: 'assigned' }, ['status']],
  ])('refuses %s', async (_case, query, fields) => {
    expect(await fieldsRefused(query)).toEqual(fields);
  });
});

describe('UnassignedLeadQueryDto', () => {
  it('takes a status list of unassigned statuses', async () => {
    expect(await parse({ status: 'new,exception' }, UnassignedLeadQueryDto)).toMatchObject({ status: ['new', 'exception'] });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['an assigned status', { status: 'assigned' }, ['status']],
    ['sorting (it is always newest first)', { sort: 'name' }, ['sort']],
    ['showIgnored (ignored leads are always listed)', { showIgnored: 'true' }, ['showIgnored']],
  ])('refuses %s', async (_case, query, fields) => {
    expect(await fieldsRefused(query, UnassignedLeadQueryDto)).toEqual(fields);
  });
});
