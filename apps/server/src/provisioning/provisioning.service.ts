import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { BlockList } from 'node:net';
import { fileFitsVendor, MAX_BLF_KEYS, parseProvisioningFile, phoneTimeZone, PhoneProfile, PhoneVendor, ProvisioningFile, renderProvisioningFile, RenderedFile, vendorOf } from '@leadline/domain';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { DeskPhoneDevice, ProvisioningFetchResult } from '../database/entities';
import { SlidingLogStorage } from '../leads/action-post/action-post-limits';
import { OrgRepository } from '../org/org.repository';
import { addressList, contains } from '../sip-security/address-list';
import { UsersService } from '../users/users.service';
import { PhoneRepository } from './phone.repository';

const MINUTE = 60_000;
/** How long the fetch log is kept. */
const FETCH_LOG_DAYS = 30;

export const hashPhoneSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export interface FetchRequest {
  /** The per-phone secret from the URL path; null on the subnet path. */
  secret: string | null;
  file: string;
  address: string;
  userAgent: string | undefined;
}

/**
 * Serves desk phones their configuration files (docs/desk-phones.md): with the phone's secret in
 * the URL, or without it from PROVISIONING_SUBNETS only. Every request is logged in the database
 * (the admin's fetch log; unknown MACs from the phone subnet become "phones waiting to be
 * assigned"); refusals say nothing about what exists.
 */
@Injectable()
export class ProvisioningService {
  private readonly logger = new Logger(ProvisioningService.name);
  private readonly limits = new SlidingLogStorage();
  private readonly subnets: BlockList;
  private nextPrune = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly phones: PhoneRepository,
    private readonly users: UsersService,
    private readonly org: OrgRepository,
    private readonly clock: Clock,
  ) {
    this.subnets = addressList(config.provisioning.subnets).list;
  }

  async fetch(req: FetchRequest): Promise<RenderedFile> {
    // Counted before anything is read: a scanner spends its own budget, never the database's.
    const limited = await this.limits.increment(req.address, MINUTE, this.config.provisioning.ratePerMinute, 0, 'provisioning');
    if (limited.isBlocked) {
      throw new DomainError(ErrorCode.RateLimited, 'Too many configuration requests from this address', [], { retryAfterSeconds: limited.timeToBlockExpire || 60 });
    }
    const file = parseProvisioningFile(req.file);
    const log = (result: ProvisioningFetchResult, extra: { phone?: DeskPhoneDevice; vendor?: PhoneVendor | null } = {}) => this.log(req, file, result, extra);
    if (!file) {
      await log('not_found');
      throw notFound();
    }
    let phone: DeskPhoneDevice | null;
    if (req.secret !== null) {
      phone = await this.phones.bySecretHash(hashPhoneSecret(req.secret));
      if (!phone) {
        await log('bad_secret');
        throw denied();
      }
      if (file.kind === 'mac' && file.mac !== phone.mac) {
        await log('not_found', { phone });
        throw notFound();
      }
    } else {
      if (!contains(this.subnets, req.address)) {
        await log('not_allowed');
        throw denied();
      }
      phone = file.kind === 'mac' ? await this.phones.byMac(file.mac) : null;
      if (file.kind === 'mac' && !phone) {
        await log('unknown_mac', { vendor: vendorOf(req.userAgent, file) });
        throw notFound();
      }
    }
    const vendor = phone?.vendor ?? (file.kind === 'common' ? file.vendor : null);
    if (!vendor || !fileFitsVendor(file, vendor)) {
      await log('not_found', { phone: phone ?? undefined });
      throw notFound();
    }
    const rendered = renderProvisioningFile(vendor, file, phone ? await this.profileOf(phone) : null);
    await log('served', { phone: phone ?? undefined, vendor });
    if (phone) await this.phones.update(phone.id, { lastFetchAt: this.clock.now(), lastFetchAddress: req.address });
    return rendered;
  }

  private async profileOf(phone: DeskPhoneDevice): Promise<PhoneProfile> {
    const orgId = phone.org.id;
    const account = phone.user ? await this.users.phoneAccount(orgId, phone.user.id) : null;
    const now = this.clock.now();
    const colleagues = account ? (await this.phones.team(orgId)).filter((u) => u.id !== phone.user?.id) : [];
    return {
      mac: phone.mac,
      sip: { host: this.config.sip.publicHost, port: this.config.sip.port },
      account,
      timeZone: phoneTimeZone(await this.org.timeZoneOf(orgId), now.getUTCFullYear()),
      ntpServer: this.config.provisioning.ntpServer,
      blf: colleagues.slice(0, MAX_BLF_KEYS).map((u) => ({ extension: u.extension, label: u.name })),
    };
  }

  private async log(req: FetchRequest, file: ProvisioningFile | null, result: ProvisioningFetchResult, extra: { phone?: DeskPhoneDevice; vendor?: PhoneVendor | null }): Promise<void> {
    const mac = file?.kind === 'mac' ? file.mac : (extra.phone?.mac ?? null);
    const now = this.clock.now();
    // Never the secret: the log holds the file name alone.
    this.logger.log(`configuration ${result}: ${req.file.slice(0, 100)} for ${req.address}${mac ? ` (MAC ${mac})` : ''}${req.userAgent ? ` [${req.userAgent.slice(0, 120)}]` : ''}`);
    await this.phones.logFetch({ at: now, address: req.address, file: req.file.slice(0, 100), mac, vendor: extra.vendor ?? extra.phone?.vendor ?? null, phoneId: extra.phone?.id ?? null, userAgent: req.userAgent?.slice(0, 200) ?? null, result });
    if (now.getTime() >= this.nextPrune) {
      this.nextPrune = now.getTime() + 3600_000;
      await this.phones.pruneFetches(new Date(now.getTime() - FETCH_LOG_DAYS * 86400_000));
    }
  }
}

// The same answers whatever is behind them: an unknown MAC, another phone's file or a file that
// does not exist are one 404; a wrong secret and an address outside the subnet one 401.
const notFound = () => new DomainError(ErrorCode.ProvisioningFileNotFound, 'No configuration file here');
const denied = () => new DomainError(ErrorCode.ProvisioningDenied, 'Not allowed to fetch configuration files');
