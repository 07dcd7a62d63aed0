import { Application } from './application.entity';
import { CallActivity } from './call-activity.entity';
import { CarrierNumber } from './carrier-number.entity';
import { Campaign } from './campaign.entity';
import { DeskPhoneDevice, ProvisioningFetch } from './desk-phone-device.entity';
import { DeviceToken } from './device-token.entity';
import { DialCallingWindow, DialModeAccess, DialModeSetting, DialQueueEntry, DoNotCall, LeadStatus } from './dial-mode.entity';
import { DistributionGroup } from './distribution-group.entity';
import { LeadOffer } from './lead-offer.entity';
import { LocalPresenceMapping, LocalPresenceNumber } from './local-presence-number.entity';
import { Org } from './org.entity';
import { PhoneCall } from './phone-call.entity';
import { Prospect, ProspectPhone } from './prospect.entity';
import { ReportDay, ReportState } from './report.entity';
import { SipBan } from './sip-ban.entity';
import { User } from './user.entity';
import { VoicePrompt } from './voice-prompt.entity';
import { WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookSubscription } from './webhook.entity';

export { Application, CallActivity, Campaign, CarrierNumber, DeskPhoneDevice, DeviceToken, DialCallingWindow, DialModeAccess, DialModeSetting, DialQueueEntry, DoNotCall, LeadStatus, DistributionGroup, LeadOffer, LocalPresenceMapping, LocalPresenceNumber, Org, PhoneCall, Prospect, ProspectPhone, ReportDay, ReportState, ProvisioningFetch, SipBan, User, VoicePrompt, WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookSubscription };
export type { AssignmentVia } from './application.entity';
export type { CallDirection } from './call-activity.entity';
export type { ProvisioningFetchResult } from './desk-phone-device.entity';
export type { CarrierNumberStatus } from './carrier-number.entity';
export type { CallingRuleHold, DoNotCallSource } from './dial-mode.entity';
export type { PhoneCallKind } from './phone-call.entity';

export const ENTITIES = [Org, User, DistributionGroup, Campaign, Prospect, ProspectPhone, Application, CallActivity, LocalPresenceNumber, LocalPresenceMapping, CarrierNumber, DeviceToken, LeadStatus, DialModeSetting, DialModeAccess, DialCallingWindow, DialQueueEntry, DoNotCall, LeadOffer, ReportDay, ReportState, SipBan, PhoneCall, WebhookSubscription, WebhookEvent, WebhookDelivery, WebhookAttempt, DeskPhoneDevice, ProvisioningFetch, VoicePrompt];
