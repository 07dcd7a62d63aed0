import { Injectable } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { validationFailed } from '../common/domain-error';
import { OrgRepository } from '../org/org.repository';
import { Page } from '../users/user.repository';
import { callActivityCriteria, CallActivityQuery } from './call-activity-query.util';
import { CallActivityRepository } from './call-activity.repository';
import { CallActivityView, toCallActivityView } from './call-activity.view';

export interface CallActivityListRequest extends CallActivityQuery {
  prospectId?: string;
  applicationId?: string;
  page: number;
  pageSize: number;
}

@Injectable()
export class CallActivityService {
  constructor(
    private readonly activities: CallActivityRepository,
    private readonly orgs: OrgRepository,
  ) {}

  /** Call legs of the org, newest first by default; an agent only ever sees their own. */
  async list(me: AuthUser, req: CallActivityListRequest): Promise<Page<CallActivityView>> {
    const empty = { items: [], total: 0, page: req.page, pageSize: req.pageSize };
    let prospectId = req.prospectId;
    if (req.applicationId) {
      const ofApplication = await this.activities.prospectIdOfApplication(me.orgId, req.applicationId);
      // An application of another org (or none) has no legs to show, and neither does one that
      // contradicts the prospectId asked for.
      if (!ofApplication || (prospectId && prospectId !== ofApplication)) return empty;
      prospectId = ofApplication;
    }
    const timeZone = await this.orgs.timeZoneOf(me.orgId);
    const { criteria, errors } = callActivityCriteria({ viewer: me, query: req, prospectId, timeZone });
    if (errors.length) throw validationFailed(errors);
    const [rows, total] = await this.activities.list(criteria, req.page, req.pageSize);
    return { items: rows.map(toCallActivityView), total, page: req.page, pageSize: req.pageSize };
  }
}
