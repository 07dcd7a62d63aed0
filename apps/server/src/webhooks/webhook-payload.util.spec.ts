import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT } from '@leadline/domain';
import { webhookSchemaErrors, webhookValidators } from '../../../../tests/harness/webhook-schemas';
import { CallLegFields, isBorrowerLeg, isMissedInbound, outboxEvent, webhookCall, webhookCallKind, webhookLead } from './webhook-payload.util';

const DOC = readFileSync(path.join(__dirname, '..', '..', '..', '..', 'docs', 'webhooks.md'), 'utf8');
const EXAMPLES = [...DOC.matchAll(/```json webhook-example\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]) as { type: string });

const LEAD = webhookLead({ prospectId: '5c2e1a90-8f3b-4d6e-a1b2-c3d4e5f60718', campaign: { id: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', name: 'Spring' }, firstName: 'Ada', mobilePhone: '+15125550147', loanAmount: 300000, extra: { a: 'b' } });
const USER = { id: 'c1d2e3f4-a5b6-4c7d-8e9f-a0b1c2d3e4f5', name: 'Sam', email: 'sam@lender.example' };
const ORG = '7a1d3c52-3c0e-4a8e-9a51-2f3f0b0f7c00';
const LEG: CallLegFields = {
  id: 'd4e5f607-1829-4a3b-8c4d-5e6f70819203',
  purpose: 'borrower',
  callKind: 'ring_all',
  direction: 'outbound',
  fromNumber: '+13105550111',
  toNumber: '+15125550147',
  startedAt: new Date('2026-12-01T15:04:12.010Z'),
  answeredAt: null,
  endedAt: new Date('2026-12-01T15:04:30.000Z'),
  ringSeconds: 18,
  talkSeconds: null,
  result: 'no_answer',
  callerIdReason: 'local_presence',
};
const at = new Date('2026-12-01T15:04:05.123Z');

describe('docs/webhooks.md', () => {
  it('has one example per event type, each valid by its published JSON Schema', () => {
    expect(EXAMPLES.map((e) => e.type).sort()).toEqual([...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT].sort());
    for (const example of EXAMPLES) expect({ type: example.type, errors: webhookSchemaErrors(example) }).toEqual({ type: example.type, errors: [] });
  });

  it('publishes a schema for every event type', () => {
    expect([...webhookValidators().keys()].sort()).toEqual([...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT].sort());
  });

  it('the schemas refuse what a receiver must not get (they would catch a drift)', () => {
    const accepted = EXAMPLES.find((e) => e.type === 'lead.accepted') as any;
    expect(webhookSchemaErrors({ ...accepted, version: 2 })).not.toEqual([]);
    expect(webhookSchemaErrors({ ...accepted, data: { ...accepted.data, surprise: 1 } })).not.toEqual([]);
    expect(webhookSchemaErrors({ ...accepted, data: { ...accepted.data, lead: { ...accepted.data.lead, mobilePhone: '512-555-0147' } } })).not.toEqual([]);
    expect(webhookSchemaErrors({ ...accepted, occurredAt: undefined })).not.toEqual([]);
  });
});

describe('outboxEvent', () => {
  it.each([
    ['lead.accepted', { lead: LEAD, distributionType: 'none' }],
    ['lead.assigned', { lead: LEAD, applicationId: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d', via: 'manual', agent: USER, assignedBy: USER }],
    ['lead.exception', { lead: LEAD, reason: 'Fatal error', detail: 'the telephony link failed' }],
    ['call.ended', { call: webhookCall({ ...LEG, callKind: 'ring_all' }), prospectId: LEAD.prospectId, applicationId: null, agent: USER, borrowerPhone: '+15125550147', recording: null }],
    ['inbound.missed', { call: webhookCall({ ...LEG, purpose: 'inbound', direction: 'inbound', callKind: 'inbound', result: 'abandoned' }), callerPhone: 'anonymous', prospectId: null, applicationId: null, voicemail: null }],
    ['webhook.test', { subscriptionId: USER.id, message: 'hello' }],
  ] as const)('%s: an envelope with a fresh id, the time and the data, valid by its schema', (type, data) => {
    const event = outboxEvent(type, { orgId: ORG, prospectId: LEAD.prospectId, at, data: data as never });
    const body = JSON.parse(event.body);
    expect(body).toEqual({ id: event.id, type, version: 1, occurredAt: '2026-12-01T15:04:05.123Z', orgId: ORG, data });
    expect(webhookSchemaErrors(body)).toEqual([]);
    expect(event).toMatchObject({ orgId: ORG, type, prospectId: LEAD.prospectId, createdAt: at });
    expect(outboxEvent(type, { orgId: ORG, prospectId: null, at, data: data as never }).id).not.toBe(event.id);
  });
});

describe('webhookLead', () => {
  it('gives every field, null when not given, and copies extra', () => {
    expect(LEAD).toEqual({
      prospectId: '5c2e1a90-8f3b-4d6e-a1b2-c3d4e5f60718',
      campaign: { id: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', name: 'Spring' },
      firstName: 'Ada',
      lastName: null,
      email: null,
      mobilePhone: '+15125550147',
      homePhone: null,
      workPhone: null,
      propertyState: null,
      loanPurpose: null,
      loanAmount: 300000,
      leadProvider: null,
      extra: { a: 'b' },
    });
  });
});

describe('webhookCall', () => {
  it('reports the caller-ID reason on outbound legs only', () => {
    expect(webhookCall({ ...LEG, callKind: 'click_to_call' })).toMatchObject({ kind: 'click_to_call', callerIdReason: 'local_presence', endedAt: '2026-12-01T15:04:30.000Z', answeredAt: null });
    expect(webhookCall({ ...LEG, callKind: 'inbound', direction: 'inbound', callerIdReason: 'whatever' }).callerIdReason).toBeNull();
  });
});

describe('which legs are reported', () => {
  it.each([
    ['borrower', true],
    ['inbound', true],
    ['ring_all_agent', false],
    ['inbound_agent', false],
    ['click_to_call_agent', false],
    ['dial_mode_operator', false],
  ])('a %s leg makes call.ended: %s', (purpose, expected) => {
    expect(isBorrowerLeg(purpose)).toBe(expected);
  });

  it.each([
    ['ring_all', 'ring_all'],
    ['click_to_call', 'click_to_call'],
    ['dial_mode', 'dial_mode'],
    ['inbound', 'inbound'],
    ['desk_phone', 'desk_phone'],
    ['monitor', null],
    [null, null],
    [undefined, null],
  ])('a leg of a %s call reports the kind %s', (callKind, expected) => {
    expect(webhookCallKind(callKind)).toBe(expected);
  });

  it.each([
    ['inbound', 'voicemail', true],
    ['inbound', 'abandoned', true],
    ['inbound', 'forwarded', true],
    ['inbound', 'failed', true],
    ['inbound', 'answered', false],
    ['inbound', 'interrupted', false],
    ['borrower', 'no_answer', false],
  ])('a %s leg ending %s is an inbound.missed: %s', (purpose, result, expected) => {
    expect(isMissedInbound({ purpose, result })).toBe(expected);
  });
});
