import { Injectable } from '@nestjs/common';
import type { DirectoryEntryView } from '@leadline/contracts';
import { PresenceService } from '../presence/presence.service';
import { UserRepository } from './user.repository';

/**
 * The org's colleagues for every signed-in user (an agent picks a transfer target): name,
 * extension and presence state — never email, role, phones or settings (GET /api/users is for
 * admins and managers).
 */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly users: UserRepository,
    private readonly presence: PresenceService,
  ) {}

  async list(orgId: string): Promise<DirectoryEntryView[]> {
    const [rows, presence] = await Promise.all([this.users.directory(orgId), this.presence.orgPresence(orgId)]);
    const states = new Map(presence.map((p) => [p.userId, p.state]));
    return rows.map((u) => ({ id: u.id, name: u.name, extension: u.extension, presence: states.get(u.id) ?? 'unavailable' }));
  }
}
