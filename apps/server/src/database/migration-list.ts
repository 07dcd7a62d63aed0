import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121000000Initial } from './migrations/Migration20261121000000Initial';
import { Migration20261122000000DialMode } from './migrations/Migration20261122000000DialMode';
import { Migration20261122020000LeadOffer } from './migrations/Migration20261122020000LeadOffer';
import { Migration20261122030000CallOwner } from './migrations/Migration20261122030000CallOwner';
import { Migration20261203000000OrgSettings } from './migrations/Migration20261203000000OrgSettings';
import { Migration20261204000000Reports } from './migrations/Migration20261204000000Reports';
import { Migration20261204010000SipBan } from './migrations/Migration20261204010000SipBan';
import { Migration20261204020000DialHoldExpiry } from './migrations/Migration20261204020000DialHoldExpiry';
import { Migration20261210000000PhoneCall } from './migrations/Migration20261210000000PhoneCall';
import { Migration20261211000000DeskPhones } from './migrations/Migration20261211000000DeskPhones';
import { Migration20261212000000Compliance } from './migrations/Migration20261212000000Compliance';
import { Migration20261213000000Webhooks } from './migrations/Migration20261213000000Webhooks';
import { Migration20261214000000RecordingDisclosure } from './migrations/Migration20261214000000RecordingDisclosure';
import { Migration20261215000000PhoneProvisioning } from './migrations/Migration20261215000000PhoneProvisioning';
import { Migration20261216000000MonitorNotice } from './migrations/Migration20261216000000MonitorNotice';
import { Migration20261217000000DisclosurePrompt } from './migrations/Migration20261217000000DisclosurePrompt';
import { Migration20261218000000LiveCall } from './migrations/Migration20261218000000LiveCall';
import { Migration20261219000000AvailableAgents } from './migrations/Migration20261219000000AvailableAgents';
import { Migration20261220000000OnCallIndex } from './migrations/Migration20261220000000OnCallIndex';

// Every migration, in order. Listed explicitly so the compiled server needs no file globbing.
// New ones: scripts/new-migration.sh, then add them here.
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261121000000Initial', class: Migration20261121000000Initial },
  { name: 'Migration20261122000000DialMode', class: Migration20261122000000DialMode },
  { name: 'Migration20261122020000LeadOffer', class: Migration20261122020000LeadOffer },
  { name: 'Migration20261122030000CallOwner', class: Migration20261122030000CallOwner },
  { name: 'Migration20261203000000OrgSettings', class: Migration20261203000000OrgSettings },
  { name: 'Migration20261204000000Reports', class: Migration20261204000000Reports },
  { name: 'Migration20261204010000SipBan', class: Migration20261204010000SipBan },
  { name: 'Migration20261204020000DialHoldExpiry', class: Migration20261204020000DialHoldExpiry },
  { name: 'Migration20261210000000PhoneCall', class: Migration20261210000000PhoneCall },
  { name: 'Migration20261211000000DeskPhones', class: Migration20261211000000DeskPhones },
  { name: 'Migration20261212000000Compliance', class: Migration20261212000000Compliance },
  { name: 'Migration20261213000000Webhooks', class: Migration20261213000000Webhooks },
  { name: 'Migration20261214000000RecordingDisclosure', class: Migration20261214000000RecordingDisclosure },
  { name: 'Migration20261215000000PhoneProvisioning', class: Migration20261215000000PhoneProvisioning },
  { name: 'Migration20261216000000MonitorNotice', class: Migration20261216000000MonitorNotice },
  { name: 'Migration20261217000000DisclosurePrompt', class: Migration20261217000000DisclosurePrompt },
  { name: 'Migration20261218000000LiveCall', class: Migration20261218000000LiveCall },
  { name: 'Migration20261219000000AvailableAgents', class: Migration20261219000000AvailableAgents },
  { name: 'Migration20261220000000OnCallIndex', class: Migration20261220000000OnCallIndex },
];
