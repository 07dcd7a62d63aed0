// Every JSON answer of the REST API, by the schema name /api/docs publishes it under. The schemas
// in view-schemas.json are generated from this list (scripts/gen-view-schemas.sh); @ApiView and
// @ApiPage (api-view.decorator.ts) check at compile time that a route returns the type it says.
import type {
  ActionPostEnvelope,
  ApplicationView,
  CallActivityView,
  CallingWindowView,
  CampaignView,
  ClickToCallView,
  DeskPhoneView,
  DeskPackageView,
  DeviceView,
  DialLeadView,
  DialModeAccessView,
  DialModeMeView,
  DialModeOverviewRow,
  DialModeSettingsView,
  DialNextView,
  DialResultView,
  DirectoryEntryView,
  DistributionGroupView,
  DoNotCallImportView,
  DoNotCallView,
  HealthReport,
  InventoryLoadView,
  InventoryView,
  LeadRowView,
  LeadStatusChangeView,
  LeadStatusView,
  LiveCallView,
  LocalPresenceMappingView,
  MonitorView,
  LocalPresenceNumberView,
  LoginResult,
  MissedCallView,
  OrgView,
  PhonesImportView,
  ProspectView,
  ProvisioningFetchView,
  SipBanView,
  UserView,
  WebhookDeliveryView,
  WebhookSubscriptionView,
  WaitingPhoneView,
} from '@leadline/contracts';

export interface AssignedView {
  applicationId: string;
}

export interface ReleasedView {
  released: boolean;
}

/** POST /api/calls/:callId/transfer: the transfer is ringing its target. */
export interface TransferStartedView {
  callId: string;
  transferringTo: string;
}

export interface DeletedView {
  deleted: number;
}

/** A queued test delivery (POST /api/webhooks/{id}/test). */
export interface WebhookTestView {
  deliveryId: string;
  eventId: string;
}

/** How many deliveries were queued again. */
export interface ReplayedView {
  replayed: number;
}

export interface ApiViews {
  ActionPostEnvelope: ActionPostEnvelope;
  ApplicationView: ApplicationView;
  AssignedView: AssignedView;
  CallActivityView: CallActivityView;
  CallingWindowView: CallingWindowView;
  CampaignView: CampaignView;
  ClickToCallView: ClickToCallView;
  DeletedView: DeletedView;
  DeskPhoneView: DeskPhoneView;
  DeskPackageView: DeskPackageView;
  DeviceView: DeviceView;
  DialLeadView: DialLeadView;
  DialModeAccessView: DialModeAccessView;
  DialModeMeView: DialModeMeView;
  DialModeOverviewRow: DialModeOverviewRow;
  DialModeSettingsView: DialModeSettingsView;
  DialNextView: DialNextView;
  DialResultView: DialResultView;
  DirectoryEntryView: DirectoryEntryView;
  DistributionGroupView: DistributionGroupView;
  DoNotCallImportView: DoNotCallImportView;
  DoNotCallView: DoNotCallView;
  HealthReport: HealthReport;
  InventoryLoadView: InventoryLoadView;
  InventoryView: InventoryView;
  LeadRowView: LeadRowView;
  LeadStatusChangeView: LeadStatusChangeView;
  LeadStatusView: LeadStatusView;
  LiveCallView: LiveCallView;
  LocalPresenceMappingView: LocalPresenceMappingView;
  LocalPresenceNumberView: LocalPresenceNumberView;
  LoginResult: LoginResult;
  MissedCallView: MissedCallView;
  MonitorView: MonitorView;
  OrgView: OrgView;
  PhonesImportView: PhonesImportView;
  ProspectView: ProspectView;
  ProvisioningFetchView: ProvisioningFetchView;
  SipBanView: SipBanView;
  ReleasedView: ReleasedView;
  ReplayedView: ReplayedView;
  TransferStartedView: TransferStartedView;
  UserView: UserView;
  WebhookDeliveryView: WebhookDeliveryView;
  WebhookSubscriptionView: WebhookSubscriptionView;
  WebhookTestView: WebhookTestView;
  WaitingPhoneView: WaitingPhoneView;
}

export type ApiViewName = keyof ApiViews;
