import { Injectable } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { CallActivity } from '../database/entities';
import { Page } from '../users/user.repository';
import { CallActivityRepository } from './call-activity.repository';

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
  recording: string | null;
  callerIdReason: string | null;
}

const toView = (a: CallActivity): CallActivityView => ({
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
  callerIdReason: a.callerIdReason ?? null,
});

@Injectable()
export class CallActivityService {
  constructor(private readonly activities: CallActivityRepository) {}

  /** Call legs, newest first; an agent only ever sees their own. */
  async list(me: AuthUser, prospectId: string | undefined, page: number, pageSize: number): Promise<Page<CallActivityView>> {
    const [items, total] = await this.activities.list({ orgId: me.orgId, prospectId, userId: me.role === 'agent' ? me.id : undefined }, page, pageSize);
    return { items: items.map(toView), total, page, pageSize };
  }
}
