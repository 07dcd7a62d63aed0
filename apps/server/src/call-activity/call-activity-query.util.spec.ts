import { callActivityCriteria, CallActivityQuery, phoneSearchText, splitList } from './call-activity-query.util';

const admin = { id: 'admin-1', orgId: 'org-1', role: 'admin' as const };
const agent = { id: 'agent-1', orgId: 'org-1', role: 'agent' as const };
const criteriaFor = (query: CallActivityQuery, viewer: { id: string; orgId: string; role: 'admin' | 'manager' | 'agent' } = admin, prospectId?: string) =>
  callActivityCriteria({ viewer, query, prospectId, timeZone: 'UTC' });

describe('splitList', () => {
  it.each([
    ['a single value', 'a', ['a']],
    ['comma-separated', 'a, b,,c', ['a', 'b', 'c']],
    ['repeated', ['a', 'b,c'], ['a', 'b', 'c']],
    ['blank', '', []],
    ['absent', undefined, undefined],
    ['non-strings are left for the validators', [1, 'a'], [1, 'a']],
  ])('%s', (_name, value, expected) => expect(splitList(value)).toEqual(expected));
});

describe('phoneSearchText', () => {
  it.each([
    ['(512) 555-0100', '5125550100'],
    ['+1 512.555', '+1512555'],
    [' - ', ''],
  ])('%s → %s', (raw, expected) => expect(phoneSearchText(raw)).toBe(expected));
});

describe('callActivityCriteria', () => {
  it('defaults to the whole org, newest first', () => {
    expect(criteriaFor({})).toEqual({ criteria: { orgId: 'org-1', sort: 'startedAt', order: 'desc' }, errors: [] });
  });

  it.each([
    ['an agent only ever sees their own legs', {}, agent, { userId: 'agent-1' }],
    ['even when asking for another user', { byUserId: ['someone-else'] }, agent, { userId: 'agent-1', byUserIds: ['someone-else'] }],
    ['managers see the org', {}, { ...admin, role: 'manager' as const }, {}],
  ])('%s', (_name, query, viewer, expected) => {
    const { criteria, errors } = criteriaFor(query, viewer);
    expect(errors).toEqual([]);
    expect(criteria).toEqual({ orgId: 'org-1', sort: 'startedAt', order: 'desc', ...expected });
  });

  it.each<[string, CallActivityQuery, object]>([
    ['talk range', { talkMin: 5, talkMax: 60 }, { talkMin: 5, talkMax: 60 }],
    ['zero talk', { talkMax: 0 }, { talkMax: 0 }],
    ['date range', { from: '2025-01-01', to: '2025-01-31T23:59:59Z' }, { startedFrom: new Date('2025-01-01T00:00:00Z'), startedTo: new Date('2025-01-31T23:59:59Z') }],
    ['a date alone as "to" covers that whole day', { to: '2025-01-31' }, { startedTo: new Date('2025-01-31T23:59:59.999Z') }],
    ['phones are normalised and deduplicated', { phone: ['(512) 555-0100', '+15125550100', '+13105550111'] }, { phones: ['+15125550100', '+13105550111'] }],
    ['phone search keeps digits and +', { phoneSearch: '555-01' }, { phoneLike: '%55501%' }],
    ['a blank phone search is no filter', { phoneSearch: ' - ' }, {}],
    ['users are deduplicated', { byUserId: ['u1', 'u1', 'u2'] }, { byUserIds: ['u1', 'u2'] }],
    ['name search is trimmed, lower-cased and literal', { bySearch: '  Ada_%  ' }, { byNameLike: '%ada\\_\\%%' }],
    ['a blank name search is no filter', { bySearch: '   ' }, {}],
    ['sort and order', { sort: 'talkSeconds', order: 'asc' }, { sort: 'talkSeconds', order: 'asc' }],
  ])('%s', (_name, query, expected) => {
    const { criteria, errors } = criteriaFor(query);
    expect(errors).toEqual([]);
    expect(criteria).toEqual({ orgId: 'org-1', sort: 'startedAt', order: 'desc', ...expected });
  });

  it('scopes to a prospect when given one', () => {
    expect(criteriaFor({}, admin, 'p-1').criteria.prospectId).toBe('p-1');
  });

  it.each<[string, CallActivityQuery, string[]]>([
    ['talkMin above talkMax', { talkMin: 10, talkMax: 5 }, ['talkMin']],
    ['from after to', { from: '2025-02-01', to: '2025-01-01' }, ['from']],
    ['a date that does not exist', { from: 'nonsense' }, ['from']],
    ['a phone that is no phone', { phone: ['+15125550100', '12'] }, ['phone']],
  ])('refuses %s', (_name, query, fields) => {
    expect(criteriaFor(query).errors.map((e) => e.field)).toEqual(fields);
  });
});
