import { Test } from '@nestjs/testing';
import { AuthUser } from '../auth/auth-user';
import { DomainError, ErrorCode } from '../common/domain-error';
import { CallActivity } from '../database/entities';
import { OrgRepository } from '../org/org.repository';
import { CallActivityCriteria } from './call-activity-query.util';
import { CallActivityRepository } from './call-activity.repository';
import { CallActivityListRequest, CallActivityService } from './call-activity.service';

const aViewer = (over: Partial<AuthUser> = {}): AuthUser => ({ id: 'manager-1', orgId: 'org-1', role: 'manager', email: 'm@x.test', ...over });
const aRequest = (over: Partial<CallActivityListRequest> = {}): CallActivityListRequest => ({ page: 1, pageSize: 50, ...over });

function aLegRow(over: Partial<CallActivity> = {}): CallActivity {
  return Object.assign(new CallActivity(), {
    id: 'leg-1',
    direction: 'outbound',
    purpose: 'borrower',
    fromNumber: '+13105550111',
    toNumber: '+17375550123',
    startedAt: new Date('2025-03-01T10:00:00Z'),
    result: 'completed',
    recording: 'ringall-p1-1',
    ...over,
  });
}

/** The service over a repository fake that records the criteria it was asked for. */
async function aService(rows: CallActivity[] = [aLegRow()], applications: Record<string, string> = {}, timeZone = 'America/Chicago') {
  const asked: CallActivityCriteria[] = [];
  const repo = {
    list: async (criteria: CallActivityCriteria) => {
      asked.push(criteria);
      return [rows, rows.length] as const;
    },
    prospectIdOfApplication: async (_orgId: string, id: string) => applications[id] ?? null,
  };
  const module = await Test.createTestingModule({ providers: [CallActivityService, { provide: CallActivityRepository, useValue: repo }, { provide: OrgRepository, useValue: { timeZoneOf: async () => timeZone } }] }).compile();
  return { service: module.get(CallActivityService), asked };
}

describe('CallActivityService.list', () => {
  it('pages views with a recording URL only for recorded legs', async () => {
    const { service } = await aService([aLegRow(), aLegRow({ id: 'leg-2', recording: null })]);
    const page = await service.list(aViewer(), aRequest());
    expect(page).toMatchObject({ total: 2, page: 1, pageSize: 50 });
    expect(page.items.map((i) => i.recordingUrl)).toEqual(['/api/recordings/leg-1', null]);
    expect(page.items[0]).toMatchObject({ from: '+13105550111', to: '+17375550123', by: null, startedAt: '2025-03-01T10:00:00.000Z', recording: 'ringall-p1-1' });
  });

  it("lists an application's prospect", async () => {
    const { service, asked } = await aService([], { 'app-1': 'prospect-1' });
    await service.list(aViewer(), aRequest({ applicationId: 'app-1' }));
    expect(asked[0].prospectId).toBe('prospect-1');
  });

  it.each([
    ['an unknown application', { applicationId: 'app-x' }],
    ['an application of another prospect than asked', { applicationId: 'app-1', prospectId: 'prospect-2' }],
  ])('answers an empty page for %s', async (_name, req) => {
    const { service, asked } = await aService([aLegRow()], { 'app-1': 'prospect-1' });
    expect(await service.list(aViewer(), aRequest(req))).toEqual({ items: [], total: 0, page: 1, pageSize: 50 });
    expect(asked).toEqual([]);
  });

  it('scopes an agent to their own legs', async () => {
    const { service, asked } = await aService();
    await service.list(aViewer({ role: 'agent', id: 'agent-1' }), aRequest({ byUserId: ['agent-2'] }));
    expect(asked[0]).toMatchObject({ userId: 'agent-1', byUserIds: ['agent-2'] });
  });

  it('refuses contradictory ranges as a validation error', async () => {
    const { service } = await aService();
    const refused = await service.list(aViewer(), aRequest({ talkMin: 9, talkMax: 1 })).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: ErrorCode.ValidationFailed, fields: [{ field: 'talkMin' }] });
  });

  it("reads a date-time without a zone in the org's time zone", async () => {
    const { service, asked } = await aService([], {}, 'America/Chicago');
    await service.list(aViewer(), aRequest({ from: '2025-03-01T09:00', to: '2025-03-01' }));
    expect(asked[0]).toMatchObject({ startedFrom: new Date('2025-03-01T15:00:00Z'), startedTo: new Date('2025-03-02T05:59:59.999Z') });
  });
});
