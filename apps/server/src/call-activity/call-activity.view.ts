import { CallActivity } from '../database/entities';

export interface CallActivityView {
  id: string;
  prospectId: string | null;
  direction: string;
  purpose: string;
  from: string | null;
  to: string | null;
  by: { id: string; name: string } | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  ringSeconds: number | null;
  talkSeconds: number | null;
  result: string;
  /** The stored recording's name in Asterisk (kept for existing clients; play it through recordingUrl). */
  recording: string | null;
  /** Where the audio streams from, when the leg was recorded. */
  recordingUrl: string | null;
  callerIdReason: string | null;
}

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
});
