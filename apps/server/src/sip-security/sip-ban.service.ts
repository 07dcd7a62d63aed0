import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { parseSipSecurityEvent, pruneSipFailureLog, recordSipSecurityEvent, SipBanPolicy, SipFailureLog } from '@leadline/domain';
import type { SipBanView } from '@leadline/contracts';
import { BlockList, isIP } from 'node:net';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { SipBan } from '../database/entities';
import { AriLink } from '../telephony/ari/ari-link';
import { addressList, contains } from './address-list';
import { SecurityLogReader } from './security-log.reader';
import { SipAclWriter } from './sip-acl.writer';
import { SipBanRepository } from './sip-ban.repository';

const toView = (b: SipBan): SipBanView => ({ address: b.address, failures: b.failures, accounts: b.accounts ? b.accounts.split(',') : [], createdAt: b.createdAt.toISOString(), expiresAt: b.expiresAt.toISOString() });

/**
 * Brute-force protection for Asterisk's SIP port (docs/security.md): reads Asterisk's security log,
 * counts failed requests per source address, and bans an address that fails too often — a row in
 * the database (shared by every instance, re-sent at every ARI link-up) and a deny ACL in Asterisk.
 * The trunk's own addresses (read from Asterisk) and SIP_BAN_EXEMPT are never banned. Bans end by
 * themselves after SIP_BAN_SECONDS, or when an admin lifts them.
 */
@Injectable()
export class SipBanService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SipBanService.name);
  private readonly policy: SipBanPolicy;
  private readonly exempt: BlockList;
  private trunk = new BlockList();
  private failures: SipFailureLog = new Map();
  private reader?: SecurityLogReader;
  private sweeper?: NodeJS.Timeout;
  /** Bans decided but not yet written, so one burst of log lines bans an address once. */
  private readonly pending = new Set<string>();

  constructor(
    private readonly config: AppConfig,
    private readonly repo: SipBanRepository,
    private readonly acl: SipAclWriter,
    private readonly ari: AriLink,
    private readonly clock: Clock,
  ) {
    this.policy = { maxFailures: config.sipBans.maxFailures, findSeconds: config.sipBans.findSeconds };
    this.exempt = addressList(config.sipBans.exempt).list;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.ari.onUp(() => this.resync());
    // The link may have come up before this hook ran (it starts earlier in the bootstrap).
    if (this.ari.status.connected) await this.resync();
    const file = this.config.sipBans.securityLog;
    if (file) {
      this.reader = new SecurityLogReader(file, (line) => this.onLogLine(line));
      await this.reader.start();
      this.logger.log(`SIP bans: reading ${file} (${this.policy.maxFailures} failures in ${this.policy.findSeconds} s → banned for ${this.config.sipBans.banSeconds} s)`);
    } else {
      this.logger.warn('SIP bans are off (SIP_SECURITY_LOG is empty)');
    }
    // Expired bans leave Asterisk within a few seconds of their end.
    this.sweeper = setInterval(() => void this.sweep(), Math.min(30_000, this.config.sipBans.banSeconds * 250));
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    this.reader?.stop();
    if (this.sweeper) clearInterval(this.sweeper);
  }

  async list(): Promise<SipBanView[]> {
    return (await this.repo.active(this.clock.now())).map(toView);
  }

  /** Lifts a ban at once (an admin's decision); the address starts with a clean count. */
  async lift(address: string): Promise<void> {
    if (!isIP(address)) throw new DomainError(ErrorCode.ValidationFailed, `${address} is not an IP address`, [{ field: 'address', message: 'must be an IPv4 or IPv6 address' }]);
    if (!(await this.repo.delete(address))) throw new DomainError(ErrorCode.SipBanNotFound, `${address} is not banned`);
    this.failures = new Map([...this.failures].filter(([a]) => a !== address));
    this.logger.warn(`SIP ban of ${address} lifted by an admin`);
    await this.allowInAsterisk(address);
  }

  /** Every live ban into Asterisk (after it restarted, or the link came back); the trunk's addresses re-read. */
  async resync(): Promise<void> {
    try {
      const sources = await this.acl.trunkSources();
      this.trunk = addressList(sources).list;
      this.logger.log(`SIP bans never apply to the trunk's addresses (${sources.join(', ') || 'none'}) nor to SIP_BAN_EXEMPT (${this.config.sipBans.exempt.join(', ') || 'none'})`);
    } catch (err) {
      this.logger.warn(`could not read the trunk's addresses from Asterisk: ${err instanceof Error ? err.message : String(err)}`);
    }
    const bans = await this.repo.active(this.clock.now());
    for (const ban of bans) {
      try {
        await this.acl.deny(ban.address);
      } catch (err) {
        this.logger.error(`could not re-apply the SIP ban of ${ban.address}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (bans.length) this.logger.log(`SIP bans re-applied in Asterisk: ${bans.length}`);
  }

  /** One line of the security log. */
  onLogLine(line: string): void {
    const event = parseSipSecurityEvent(line);
    if (!event || this.isExempt(event.address) || this.pending.has(event.address)) return;
    const now = this.clock.now().getTime();
    const outcome = recordSipSecurityEvent(this.failures, event, now, this.policy);
    this.failures = outcome.log;
    if (outcome.ban) {
      const { address, failures, accounts } = outcome.ban;
      this.pending.add(address);
      this.ban(address, failures, accounts)
        .catch((err: unknown) => this.logger.error(`could not ban ${address}: ${err instanceof Error ? err.stack : String(err)}`))
        .finally(() => this.pending.delete(address));
    }
  }

  private isExempt(address: string): boolean {
    return contains(this.exempt, address) || contains(this.trunk, address);
  }

  private async ban(address: string, failures: number, accounts: string[]): Promise<void> {
    const expiresAt = new Date(this.clock.now().getTime() + this.config.sipBans.banSeconds * 1000);
    const created = await this.repo.insert({ address, failures, accounts: accounts.join(','), expiresAt });
    if (created) this.logger.warn(`SIP: banned ${address} until ${expiresAt.toISOString()} after ${failures} failed requests (users tried: ${accounts.join(', ') || 'none'})`);
    if (this.ari.status.connected) await this.acl.deny(address);
  }

  private async sweep(): Promise<void> {
    this.failures = pruneSipFailureLog(this.failures, this.clock.now().getTime(), this.policy);
    try {
      for (const ban of await this.repo.expired(this.clock.now())) {
        await this.repo.delete(ban.address);
        this.logger.log(`SIP ban of ${ban.address} expired`);
        await this.allowInAsterisk(ban.address);
      }
    } catch (err) {
      this.logger.error(`SIP ban sweep failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async allowInAsterisk(address: string): Promise<void> {
    try {
      await this.acl.allow(address);
    } catch (err) {
      // Asterisk away: it forgets memory ACLs when it restarts, and a resync only re-sends live bans.
      this.logger.warn(`could not remove the SIP ban of ${address} from Asterisk yet: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
