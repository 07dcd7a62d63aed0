import { CallActivity } from '../database/entities';
import type { CallActivityView } from '@leadline/contracts';
export type { CallActivityView };

export const recordingUrlOf = (callActivityId: string) => `/api/recordings/${callActivityId}`;

export const toCallActivityView = (a: CallActivity): CallActivityView => ({
  id: a.id,
  prospectId: a.prospect?.id ?? null,
  direction: a.direction,
  purpose: a.purpose,
  from: a.fromNumber ?? null,
  to: a.toNumber ?? null,
  by: a.user ? { id: a.user.id, name: a.user.name } : null,
  startedAt: a.startedAt.toISOString(),
  answeredAt: a.answeredAt?.toISOString() ?? null,
  endedAt: a.endedAt?.toISOString() ?? null,
  ringSeconds: a.ringSeconds ?? null,
  talkSeconds: a.talkSeconds ?? null,
  result: a.result,
  recording: a.recording ?? null,
  recordingUrl: a.recording ? recordingUrlOf(a.id) : null,
  callerIdReason: a.callerIdReason ?? null,
  callId: a.call?.id ?? null,
  detail: a.detail ?? null,
  recordingRule: a.recordingRule ? { rule: a.recordingRule, state: a.recordingRuleState ?? null, stateFrom: a.recordingRuleStateFrom ?? 'unknown' } : null,
});
