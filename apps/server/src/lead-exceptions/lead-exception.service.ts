import { Injectable, Logger } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { DomainError, ErrorCode, notFound, validationFailed } from '../common/domain-error';
import { Prospect } from '../database/entities';
import { ProspectsService } from '../leads/prospects.service';
import { OrgRepository } from '../org/org.repository';
import { Page } from '../users/user.repository';
import { LeadExceptionQueryDto, UnassignedLeadQueryDto } from './lead-exception.dto';
import { LeadFilter, LeadFilterParams, toLeadFilter, UNASSIGNED_STATUSES } from './lead-filter.util';
import { LeadListRepository } from './lead-list.repository';
import { LeadRowView, toLeadRowView } from './lead-row.view';

/** The Lead Exception list (failed distributions) and its actions, and the Unassigned Leads list. */
@Injectable()
export class LeadExceptionService {
  private readonly logger = new Logger(LeadExceptionService.name);

  constructor(
    private readonly leads: LeadListRepository,
    private readonly prospects: ProspectsService,
    private readonly orgs: OrgRepository,
  ) {}

  /** Lead exceptions not ignored; with showIgnored, the ignored ones follow all the others. */
  async list(orgId: string, q: LeadExceptionQueryDto): Promise<Page<LeadRowView>> {
    const showIgnored = q.showIgnored ?? false;
    const [rows, total] = await this.leads.list(
      orgId,
      { statuses: ['exception'], includeIgnored: showIgnored, ignoredLast: showIgnored },
      await this.filterOf(orgId, q),
      { key: q.sort ?? 'createDate', order: q.order ?? 'desc' },
      q.page,
      q.pageSize,
    );
    return { items: rows.map(toLeadRowView), total, page: q.page, pageSize: q.pageSize };
  }

  /** Prospects nobody has taken yet (new, distributing, exception; ignored ones too), newest first. */
  async listUnassigned(orgId: string, q: UnassignedLeadQueryDto): Promise<Page<LeadRowView>> {
    const [rows, total] = await this.leads.list(
      orgId,
      { statuses: q.status?.length ? q.status : [...UNASSIGNED_STATUSES], includeIgnored: true, ignoredLast: false },
      await this.filterOf(orgId, q),
      { key: 'createDate', order: 'desc' },
      q.page,
      q.pageSize,
    );
    return { items: rows.map(toLeadRowView), total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * Assigns a lead exception (ignored or not) to a user of the org, through the one guarded
   * assignment. Only exceptions: a lead still new or being distributed is refused here, so this
   * action cannot cut into a distribution in flight (POST /api/prospects/:id/assign can).
   */
  async assign(me: AuthUser, prospectId: string, userId: string): Promise<{ applicationId: string }> {
    const prospect = await this.require(me.orgId, prospectId);
    switch (prospect.status) {
      case 'new':
      case 'distributing':
        throw notAnException(prospect);
      case 'exception':
      case 'assigned': // the guarded assignment answers LeadAlreadyAssigned, naming the application
        break;
      default: {
        const unreachable: never = prospect.status;
        throw new Error(`unknown prospect status ${String(unreachable)}`);
      }
    }
    // An exception only ever leaves to `assigned`, so the check above cannot go stale in a way
    // that matters: a concurrent taker makes this assignment lose with LeadAlreadyAssigned.
    return this.prospects.assign(me.orgId, prospectId, userId, 'manual', me.id);
  }

  /** Hides a lead exception from the list (idempotent). */
  ignore(me: AuthUser, prospectId: string): Promise<LeadRowView> {
    return this.setIgnored(me, prospectId, true);
  }

  /** Brings an ignored lead exception back (idempotent). */
  unignore(me: AuthUser, prospectId: string): Promise<LeadRowView> {
    return this.setIgnored(me, prospectId, false);
  }

  private async setIgnored(me: AuthUser, prospectId: string, ignored: boolean): Promise<LeadRowView> {
    const changed = await this.leads.setIgnored(me.orgId, prospectId, ignored, new Date());
    const prospect = await this.require(me.orgId, prospectId);
    if (prospect.status !== 'exception') throw notAnException(prospect);
    if (changed) this.logger.log(`lead exception ${prospectId} ${ignored ? 'ignored' : 'unignored'} by ${me.id}`);
    return toLeadRowView(prospect);
  }

  /** The column filters, dates read in the org's time zone; a bad range is a 400. */
  private async filterOf(orgId: string, params: LeadFilterParams): Promise<LeadFilter> {
    const { filter, errors } = toLeadFilter(params, await this.orgs.timeZoneOf(orgId));
    if (errors.length) throw validationFailed(errors);
    return filter;
  }

  private async require(orgId: string, prospectId: string): Promise<Prospect> {
    const prospect = await this.leads.get(orgId, prospectId);
    if (!prospect) throw notFound(ErrorCode.ProspectNotFound, 'Prospect', prospectId);
    return prospect;
  }
}

function notAnException(prospect: Prospect): DomainError {
  return new DomainError(
    ErrorCode.Conflict,
    prospect.status === 'assigned'
      ? `Prospect ${prospect.id} is already assigned; it is no longer a lead exception`
      : `Prospect ${prospect.id} is not a lead exception (its status is ${prospect.status}); only lead exceptions can be assigned or ignored here`,
  );
}
