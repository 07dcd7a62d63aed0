import { Injectable, Logger } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { DomainError, ErrorCode, notFound } from '../common/domain-error';
import { AssignmentVia } from '../database/entities';
import { LeadEvents } from '../events/lead-events';
import { Page } from '../users/user.repository';
import { ApplicationView, EXPORT_MAX_ROWS, ProspectExportRow, ProspectView, toApplicationView, toProspectExportRow, toProspectView } from './lead.views';
import { ProspectFilter, ProspectRepository } from './prospect.repository';

@Injectable()
export class ProspectsService {
  private readonly logger = new Logger(ProspectsService.name);

  constructor(
    private readonly prospects: ProspectRepository,
    private readonly events: LeadEvents,
  ) {}

  async list(orgId: string, filter: ProspectFilter, page: number, pageSize: number): Promise<Page<ProspectView>> {
    const [items, total] = await this.prospects.list(orgId, filter, page, pageSize);
    return { items: items.map(toProspectView), total, page, pageSize };
  }

  /** The org's prospects of the filter as CSV rows, newest first (docs/compliance.md: consent evidence travels with the lead). */
  async exportRows(orgId: string, filter: ProspectFilter): Promise<ProspectExportRow[]> {
    const prospects = await this.prospects.exportRows(orgId, filter, EXPORT_MAX_ROWS);
    return prospects.map(toProspectExportRow);
  }

  async get(orgId: string, id: string): Promise<ProspectView> {
    const prospect = await this.prospects.get(orgId, id);
    if (!prospect) throw notFound(ErrorCode.ProspectNotFound, 'Prospect', id);
    return toProspectView(prospect);
  }

  /**
   * Turns a prospect into an application with `agentId` as primary agent. One guarded update
   * decides: of any number of concurrent takers exactly one wins; the others get LeadAlreadyAssigned.
   */
  async assign(orgId: string, prospectId: string, agentId: string, via: AssignmentVia, assignedById: string | null): Promise<{ applicationId: string }> {
    const prospect = await this.prospects.get(orgId, prospectId);
    if (!prospect) throw notFound(ErrorCode.ProspectNotFound, 'Prospect', prospectId);
    const agent = await this.prospects.userInOrg(orgId, agentId);
    if (!agent) throw notFound(ErrorCode.UserNotFound, 'User', agentId);
    return this.commitAssignment(orgId, prospectId, agentId, via, assignedById, new Date());
  }

  /**
   * A ring-all round's claim, on its hot path (the borrower is dialled once it returns): the round
   * read its prospect and reserved the agent, both of its org, so nothing is read again; the winning
   * update also stamps when the lead was taken. Throws LeadAlreadyAssigned like assign().
   */
  claimRingAll(orgId: string, prospectId: string, agentId: string, takenAt: Date): Promise<{ applicationId: string }> {
    return this.commitAssignment(orgId, prospectId, agentId, 'ring_all', null, takenAt);
  }

  private async commitAssignment(orgId: string, prospectId: string, agentId: string, via: AssignmentVia, assignedById: string | null, at: Date): Promise<{ applicationId: string }> {
    const applicationId = (await this.prospects.assign({ orgId, prospectId, agentId, via, assignedById, at }))?.applicationId;
    if (!applicationId) {
      const existing = await this.prospects.applicationOf(prospectId);
      throw new DomainError(ErrorCode.LeadAlreadyAssigned, existing ? `Prospect ${prospectId} is already assigned (application ${existing.id})` : `Prospect ${prospectId} cannot be taken now`);
    }
    this.logger.log(`prospect ${prospectId} assigned to ${agentId} via ${via} (application ${applicationId})`);
    this.events.emit('prospect.assigned', { prospectId, applicationId, agentId, via });
    return { applicationId };
  }

  /** An agent only ever sees their own applications; managers and admins everyone's unless `mine`. */
  async listApplications(me: AuthUser, page: number, pageSize: number, mine = false): Promise<Page<ApplicationView>> {
    const [items, total] = await this.prospects.listApplications(me.orgId, mine || me.role === 'agent' ? me.id : undefined, page, pageSize);
    return { items: items.map(toApplicationView), total, page, pageSize };
  }

  async getApplication(me: AuthUser, id: string): Promise<ApplicationView> {
    const application = await this.prospects.getApplication(me.orgId, id);
    // An agent asking for another agent's application learns nothing about it: same 404.
    if (!application || (me.role === 'agent' && application.primaryAgent.id !== me.id)) throw notFound(ErrorCode.ApplicationNotFound, 'Application', id);
    return toApplicationView(application);
  }
}
