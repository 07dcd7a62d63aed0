import { Injectable, Logger } from '@nestjs/common';
import { normalizePhone } from '@leadline/domain';
import { DomainError, ErrorCode, notFound, validationFailed } from '../common/domain-error';
import { DoNotCall } from '../database/entities';
import { Page } from '../users/user.repository';
import { DoNotCallDto } from './dial-mode.dto';
import { parseDoNotCallCsv } from './do-not-call-csv.util';
import { DoNotCallRepository } from './do-not-call.repository';
import type { DoNotCallImportView, DoNotCallView } from '@leadline/contracts';
export type { DoNotCallImportView, DoNotCallView };

const toView = (d: DoNotCall): DoNotCallView => ({ id: d.id, phone: d.phone, source: d.source, note: d.note ?? null, createdById: d.createdBy?.id ?? null, createdAt: d.createdAt.toISOString() });

/** The org's do-not-call list: dial mode never dials a number on it. */
@Injectable()
export class DoNotCallService {
  private readonly logger = new Logger(DoNotCallService.name);

  constructor(private readonly repo: DoNotCallRepository) {}

  async list(orgId: string, phone: string | undefined, page: number, pageSize: number): Promise<Page<DoNotCallView>> {
    const digits = phone?.replace(/\D/g, '');
    const [items, total] = await this.repo.list(orgId, digits || undefined, page, pageSize);
    return { items: items.map(toView), total, page, pageSize };
  }

  async add(orgId: string, userId: string, dto: DoNotCallDto): Promise<DoNotCallView> {
    const phone = normalizePhone(dto.phone);
    if (!phone) throw validationFailed([{ field: 'phone', message: 'must be a valid phone number' }]);
    const { added } = await this.repo.add(orgId, [{ phone, note: dto.note?.trim() || null }], 'manual', userId);
    if (!added.length) throw new DomainError(ErrorCode.Conflict, `${phone} is on the do-not-call list already`);
    this.logger.log(`do-not-call: ${phone} added by ${userId}`);
    return toView(added[0]);
  }

  async get(orgId: string, id: string): Promise<DoNotCallView> {
    const entry = await this.repo.get(orgId, id);
    if (!entry) throw notFound(ErrorCode.DoNotCallNotFound, 'Do-not-call entry', id);
    return toView(entry);
  }

  /** Only the note changes: a different number is a different entry. */
  async updateNote(orgId: string, id: string, note: string | null): Promise<DoNotCallView> {
    const entry = await this.repo.get(orgId, id);
    if (!entry) throw notFound(ErrorCode.DoNotCallNotFound, 'Do-not-call entry', id);
    entry.note = note?.trim() || null;
    await this.repo.flush();
    return toView(entry);
  }

  async remove(orgId: string, id: string): Promise<void> {
    const entry = await this.repo.get(orgId, id);
    if (!entry) throw notFound(ErrorCode.DoNotCallNotFound, 'Do-not-call entry', id);
    await this.repo.remove(entry);
    this.logger.log(`do-not-call: ${entry.phone} removed`);
  }

  /** Valid rows are added, bad ones reported by line; a CSV with no valid row changes nothing (400). */
  async import(orgId: string, userId: string, csv: string): Promise<DoNotCallImportView> {
    const parsed = parseDoNotCallCsv(csv);
    if (!parsed.ok) throw validationFailed([{ field: 'csv', message: parsed.message }], 'Nothing was imported');
    if (!parsed.rows.length) {
      throw validationFailed(
        parsed.errors.length ? parsed.errors.map((e) => ({ field: `line ${e.line}`, message: e.message })) : [{ field: 'csv', message: 'no phone numbers found' }],
        'Nothing was imported',
      );
    }
    const { added, alreadyListed } = await this.repo.add(orgId, parsed.rows.map((r) => ({ phone: r.phone, note: r.note })), 'csv', userId);
    this.logger.log(`do-not-call import: ${added.length} added, ${alreadyListed} already listed, ${parsed.errors.length} bad row(s)`);
    return { added: added.length, alreadyListed, errors: parsed.errors };
  }
}
