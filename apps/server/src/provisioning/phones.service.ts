import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { DeskPhoneView, PhonesImportView, ProvisioningFetchView, WaitingPhoneView } from '@leadline/contracts';
import { normalizeMac } from '@leadline/domain';
import { DomainError, ErrorCode, notFound, validationFailed } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { DeskPhoneDevice, ProvisioningFetch } from '../database/entities';
import { UserRepository } from '../users/user.repository';
import { CheckSyncNotifier } from './check-sync.notifier';
import { CreatePhoneDto, FetchLogQueryDto, UpdatePhoneDto } from './phone.dto';
import { PhoneRepository } from './phone.repository';
import { parsePhonesCsv } from './phones-csv.util';
import { hashPhoneSecret } from './provisioning.service';

/** How many unknown-MAC fetches the waiting list is built from. */
const WAITING_WINDOW = 2000;

/** Desk phones by MAC for admins: add, assign, reassign, remove, renew the secret; the waiting list. */
@Injectable()
export class PhonesService {
  private readonly logger = new Logger(PhonesService.name);

  constructor(
    private readonly phones: PhoneRepository,
    private readonly users: UserRepository,
    private readonly config: AppConfig,
    private readonly notifier: CheckSyncNotifier,
  ) {}

  async list(orgId: string): Promise<DeskPhoneView[]> {
    return (await this.phones.list(orgId)).map((p) => toView(p));
  }

  async create(orgId: string, dto: CreatePhoneDto): Promise<DeskPhoneView> {
    const mac = normalizeMac(dto.mac);
    if (!mac) throw validationFailed([{ field: 'mac', message: 'must be 12 hex digits (00:15:65:ab:cd:ef), not all zeros or all f' }]);
    if (dto.userId) await this.requireDeskUser(orgId, dto.userId);
    const secret = newSecret();
    const phone = await this.phones.insert(orgId, { mac, vendor: dto.vendor, label: dto.label ?? null, secretHash: hashPhoneSecret(secret) }, dto.userId ?? null);
    if (!phone) throw new DomainError(ErrorCode.PhoneMacTaken, `A phone with MAC ${mac} already exists`);
    this.logger.log(`desk phone ${mac} (${dto.vendor}) added${dto.userId ? ` for user ${dto.userId}` : ''}`);
    return toView(phone, this.urlFor(secret));
  }

  /**
   * Adds the phones of a CSV (mac, vendor, label, user = email or extension). Each row stands
   * alone: the good ones are added, the others come back with their line and why.
   */
  async import(orgId: string, text: string): Promise<PhonesImportView> {
    const csv = parsePhonesCsv(text);
    if (!csv.ok) throw validationFailed([{ field: 'file', message: csv.message }]);
    const rejected = [...csv.rejected];
    const added: DeskPhoneView[] = [];
    const usersTaken = new Set<string>();
    for (const row of csv.rows) {
      const reject = (message: string) => rejected.push({ line: row.line, value: row.mac, message });
      let userId: string | null = null;
      if (row.user) {
        const user = await this.phones.userByEmailOrExtension(orgId, row.user);
        if (!user) {
          reject(`no user with email or extension "${row.user}"`);
          continue;
        }
        if (user.workPhoneType !== 'sip_desk') {
          reject(`${user.name} has no sip_desk work phone`);
          continue;
        }
        if (usersTaken.has(user.id)) {
          reject(`${user.name} already gets a phone on an earlier line`);
          continue;
        }
        usersTaken.add(user.id);
        userId = user.id;
      }
      const secret = newSecret();
      const phone = await this.phones.insert(orgId, { mac: row.mac, vendor: row.vendor, label: row.label, secretHash: hashPhoneSecret(secret) }, userId);
      if (!phone) {
        reject('a phone with this MAC already exists');
        continue;
      }
      added.push(toView(phone, this.urlFor(secret)));
    }
    rejected.sort((a, b) => a.line - b.line);
    this.logger.log(`phone import: ${added.length} added, ${rejected.length} rejected`);
    return { added, rejected };
  }

  async update(orgId: string, id: string, dto: UpdatePhoneDto): Promise<DeskPhoneView> {
    const phone = await this.require(orgId, id);
    if (dto.label !== undefined) await this.phones.update(id, { label: dto.label });
    if (dto.userId !== undefined && dto.userId !== (phone.user?.id ?? null)) {
      if (dto.userId) await this.requireDeskUser(orgId, dto.userId);
      const previous = await this.phones.assign(id, dto.userId);
      this.logger.log(`desk phone ${phone.mac} assigned to ${dto.userId ?? 'nobody'}${previous ? ` (phone ${previous} lost that user)` : ''}`);
      // Both phones re-read their files: first the one that lost the user (registered as that
      // user), then this one (registered as its previous user, if any).
      const loser = previous ? await this.phones.get(orgId, previous) : null;
      if (loser && dto.userId) await this.notifier.phoneReassigned(dto.userId, loser.vendor, loser.mac);
      await this.notifier.phoneReassigned(phone.user?.id ?? null, phone.vendor, phone.mac);
    }
    return toView(await this.require(orgId, id));
  }

  /** A new secret: the old provisioning URL stops working at once. */
  async renewSecret(orgId: string, id: string): Promise<DeskPhoneView> {
    await this.require(orgId, id);
    const secret = newSecret();
    await this.phones.update(id, { secretHash: hashPhoneSecret(secret) });
    return toView(await this.require(orgId, id), this.urlFor(secret));
  }

  async remove(orgId: string, id: string): Promise<void> {
    if (!(await this.phones.delete(orgId, id))) throw notFound(ErrorCode.PhoneNotFound, 'Phone', id);
  }

  /** MACs that asked for their configuration from the phone subnet and that no phone has. */
  async waiting(): Promise<WaitingPhoneView[]> {
    const rows = await this.phones.fetches({ result: 'unknown_mac' }, WAITING_WINDOW);
    const unknown = await this.phones.unknownMacs([...new Set(rows.map((r) => r.mac!).filter(Boolean))]);
    const byMac = new Map<string, WaitingPhoneView>();
    // Newest first: the first row of a MAC is its last sighting.
    for (const r of rows) {
      if (!r.mac || !unknown.has(r.mac)) continue;
      const seen = byMac.get(r.mac);
      if (seen) {
        seen.fetches++;
        seen.firstSeenAt = r.at.toISOString();
        seen.vendor ??= r.vendor ?? null;
      } else {
        byMac.set(r.mac, { mac: r.mac, vendor: r.vendor ?? null, firstSeenAt: r.at.toISOString(), lastSeenAt: r.at.toISOString(), lastAddress: r.address, userAgent: r.userAgent ?? null, fetches: 1 });
      }
    }
    return [...byMac.values()];
  }

  async fetchLog(query: FetchLogQueryDto): Promise<ProvisioningFetchView[]> {
    const mac = query.mac ? normalizeMac(query.mac) : undefined;
    if (query.mac && !mac) throw validationFailed([{ field: 'mac', message: 'must be 12 hex digits' }]);
    return (await this.phones.fetches({ mac: mac ?? undefined, result: query.result }, 200)).map(fetchView);
  }

  private async require(orgId: string, id: string): Promise<DeskPhoneDevice> {
    const phone = await this.phones.get(orgId, id);
    if (!phone) throw notFound(ErrorCode.PhoneNotFound, 'Phone', id);
    return phone;
  }

  private async requireDeskUser(orgId: string, userId: string): Promise<void> {
    const user = await this.users.get(orgId, userId);
    if (!user) throw notFound(ErrorCode.UserNotFound, 'User', userId);
    if (user.workPhoneType !== 'sip_desk') throw validationFailed([{ field: 'userId', message: `${user.name} has no sip_desk work phone: set their work phone type to sip_desk first` }]);
  }

  /** The directory a phone is pointed at; it appends its own file names. */
  private urlFor(secret: string): string {
    return `${this.config.actionPost.publicBaseUrl}/api/provisioning/${secret}/`;
  }
}

/** 256 random bits, URL-safe: guessing one is out of reach, so a fast hash is enough to store it. */
const newSecret = () => randomBytes(32).toString('base64url');

function toView(p: DeskPhoneDevice, provisioningUrl?: string): DeskPhoneView {
  return {
    id: p.id,
    mac: p.mac,
    vendor: p.vendor,
    label: p.label ?? null,
    user: p.user ? { id: p.user.id, name: p.user.name, extension: p.user.extension ?? null } : null,
    createdAt: p.createdAt.toISOString(),
    lastFetchAt: p.lastFetchAt ? p.lastFetchAt.toISOString() : null,
    lastFetchAddress: p.lastFetchAddress ?? null,
    ...(provisioningUrl ? { provisioningUrl } : {}),
  };
}

function fetchView(f: ProvisioningFetch): ProvisioningFetchView {
  return { at: f.at.toISOString(), address: f.address, file: f.file, mac: f.mac ?? null, phoneId: f.phoneId ?? null, userAgent: f.userAgent ?? null, result: f.result };
}
