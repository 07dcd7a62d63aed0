import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { PhoneVendor } from '@leadline/domain';
import { LeadEvents } from '../events/lead-events';
import { AmiClient } from '../telephony/ami/ami-client';
import { UserRepository } from '../users/user.repository';
import { PhoneRepository } from './phone.repository';

/**
 * Tells a provisioned desk phone to fetch its files again (a check-sync NOTIFY through AMI's
 * PJSIPNotify to the endpoint it is registered as): after its user's SIP password changed, or after
 * it was given to another user. Best effort: the file is already right, so a phone that misses the
 * NOTIFY (not registered, AMI not configured) takes the change at its next fetch.
 */
@Injectable()
export class CheckSyncNotifier implements OnModuleInit {
  private readonly logger = new Logger(CheckSyncNotifier.name);

  constructor(
    private readonly ami: AmiClient,
    private readonly events: LeadEvents,
    private readonly phones: PhoneRepository,
    private readonly users: UserRepository,
  ) {}

  onModuleInit(): void {
    this.events.on('sip.credentials-changed', async ({ userId }) => {
      const phone = await this.phones.byUser(userId);
      if (phone?.user?.sipUsername) await this.checkSync(phone.user.sipUsername, phone.vendor, `phone ${phone.mac}: its user's SIP password changed`);
    });
  }

  /** The phone registered as `endpoint` (a PJSIP endpoint id) re-reads its configuration. */
  async checkSync(endpoint: string, vendor: PhoneVendor, why: string): Promise<boolean> {
    if (!this.ami.configured) {
      this.logger.log(`no check-sync NOTIFY (${why}): AMI_PORT is not set; the phone takes the change at its next fetch`);
      return false;
    }
    try {
      await this.ami.action({ Action: 'PJSIPNotify', Endpoint: endpoint, Option: `leadline-check-sync-${vendor}` });
      this.logger.log(`check-sync NOTIFY sent to ${endpoint} (${why})`);
      return true;
    } catch (err) {
      this.logger.warn(`check-sync NOTIFY to ${endpoint} failed (${why}): ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  /** After a phone changed hands: the endpoint it is registered as is its previous user's. */
  async phoneReassigned(previousUserId: string | null, vendor: PhoneVendor, mac: string): Promise<void> {
    if (!previousUserId) return;
    const previous = await this.users.byId(previousUserId);
    if (previous?.sipUsername) await this.checkSync(previous.sipUsername, vendor, `phone ${mac} was given to another user`);
  }
}
