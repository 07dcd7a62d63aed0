// The JSON shapes of the server's REST answers (see /api/docs), shared by the server's view
// functions (toXView) and the dashboard. Plain types only: no runtime code, no server imports.
// Times are ISO 8601 UTC strings.
import type { CallMode, DialButton, DialModeSettings, DialSubState, DistributionType, PresenceState, ProspectStatus, Role, WorkPhoneType } from '@leadline/domain';
import type { DialLeadView } from './dial-mode';

/** One page of a server-side paginated list (`?page=&pageSize=`). */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

// ---- users ----

export interface SipAccountView {
  server: string;
  port: number;
  transport: 'udp';
  username: string;
  /** Only present right after creation or rotation: shown once, stored hashed. */
  password?: string;
}

export interface UserView {
  id: string;
  name: string;
  email: string;
  role: Role;
  workPhoneType: WorkPhoneType | null;
  workPhone: string | null;
  sipUsername: string | null;
  /** Dialled from desk phones to reach this user. */
  extension: string | null;
  callerId: string | null;
  stateLicences: string[];
  filterLoanPurposes: string[];
  filterLoanAmountMin: number | null;
  filterLoanAmountMax: number | null;
  filterLeadProviders: string[];
  callsOn: boolean;
  loggedIn: boolean;
  showIncomingCallDetails: boolean;
  onCall: boolean;
  createdAt: string;
  /** Present when the phone could not be pushed to Asterisk yet; it will be on the next link-up. */
  provisioning?: 'pending';
  sipAccount?: SipAccountView;
}

/**
 * GET /api/directory: a colleague as every signed-in user of the org may see them (to pick a
 * transfer target, to know whom an extension rings) — nothing more than this.
 */
export interface DirectoryEntryView {
  id: string;
  name: string;
  /** Dialled from desk phones to reach this user. */
  extension: string | null;
  /** available (green), unavailable (red: logged out, calls off, on a call) or ringing. */
  presence: PresenceState;
}

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: { id: string; name: string; email: string; role: string };
}

export interface DeviceView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** Only in the answer that created it: shown once, stored hashed. */
  token?: string;
}

// ---- org, campaigns, distribution groups ----

export interface OrgView {
  id: string;
  name: string;
  callerId: string | null;
  orgNumber: string | null;
  /** IANA name, e.g. America/Chicago. */
  timeZone: string;
  dialling: { allowInternational: boolean; allowPremium: boolean; allowN11: boolean };
  emergencyCallerId: string | null;
  /** Recording of borrower calls by the borrower's state (docs/compliance.md). */
  recording: {
    /** States where every party must consent: the disclosure then the recording (default), or no recording. */
    allPartyStates: 'disclose_then_record' | 'do_not_record';
    /** The other states: the disclosure then the recording (default), the recording alone, or no recording. */
    onePartyStates: 'disclose_then_record' | 'record_without_disclosure' | 'do_not_record';
    /** The disclosure prompt an admin uploaded (PUT /api/org/recording-disclosure); null: the default prompt. */
    customDisclosure: { seconds: number; uploadedAt: string } | null;
  };
  /** The agent's dashboard says so when a manager listens, whispers or barges on their call. */
  monitorNoticeToAgent: boolean;
}

export interface CampaignView {
  id: string;
  name: string;
  description: string | null;
  leadProvider: string | null;
  distributionType: DistributionType;
  distributionGroupId: string | null;
  defaultAgentId: string | null;
  ringTimeoutSeconds: number;
  offerTimeoutSeconds: number;
  apiKey: string;
  /** What a lead vendor configures: the key rides as ?key= because many vendors can only set a URL. */
  actionPostUrl: string;
  createdAt: string;
}

export interface DistributionGroupView {
  id: string;
  name: string;
  memberIds: string[];
  filterStates: string[];
  filterLoanPurposes: string[];
  filterLoanAmountMin: number | null;
  filterLoanAmountMax: number | null;
}

// ---- leads, applications, calls ----

/** A field the server refused, and why (the `fields` of a 4xx answer, the Errors of an Action Post answer). */
export interface FieldError {
  field: string;
  message: string;
}

/** Action Post: 1 = created or updated (or matched an unassigned prospect), 2 = matched but nothing to update, 0 = refused. */
export type ActionPostStatus = 0 | 1 | 2;

/** The Action Post answer (Insellerate's envelope). */
export interface ActionPostEnvelope {
  StatusCode: ActionPostStatus;
  Data: { ProspectId: string | null; ApplicationId: string | null; Errors?: FieldError[] } | null;
  Message: string;
  ResponseDate: string;
}

/** One row of the Lead Exception and Unassigned Leads lists; the column keys are the sort keys. */
export interface LeadRowView {
  prospectId: string;
  /** First and last name, as shown. */
  name: string;
  firstName: string | null;
  lastName: string | null;
  campaign: { id: string; name: string };
  /** The campaign's description. */
  description: string | null;
  /** The campaign's distribution type. */
  distribution: DistributionType;
  leadProvider: string | null;
  loanPurpose: string | null;
  loanAmount: number | null;
  state: string | null;
  failureReason: string | null;
  createDate: string;
  status: ProspectStatus;
  ignored: boolean;
  ignoredAt: string | null;
}

/** Consent evidence as the lead vendor posted it; stored once, never overwritten by a later post. */
export interface ConsentView {
  text: string | null;
  /** The consent time as posted. */
  timestamp: string | null;
  /** The same instant, ISO 8601 UTC (null when the posted time names no zone). */
  at: string | null;
  sourceUrl: string | null;
  ip: string | null;
  /** A TrustedForm certificate URL or a Jornaya LeadiD token. */
  certificate: string | null;
  /** When Leadline stored it. */
  receivedAt: string;
}

export interface ProspectView {
  id: string;
  campaignId: string;
  campaignName: string;
  firstName: string | null;
  lastName: string | null;
  mobilePhone: string | null;
  homePhone: string | null;
  workPhone: string | null;
  email: string | null;
  propertyState: string | null;
  loanPurpose: string | null;
  loanAmount: number | null;
  leadProvider: string | null;
  extra: Record<string, string>;
  /** TCPA consent evidence the lead vendor posted (docs/compliance.md), or null. */
  consent: ConsentView | null;
  status: string;
  /** The admin-defined lead status (dial mode, docs/dial-mode.md), or null. */
  leadStatusId: string | null;
  ignored: boolean;
  failureReason: string | null;
  createdAt: string;
}

export interface ApplicationView {
  id: string;
  prospect: ProspectView;
  primaryAgent: { id: string; name: string };
  via: string;
  createdAt: string;
}

export interface ClickToCallView {
  callId: string;
  /** The agent's phone is ringing; the borrower is dialled when the agent answers. */
  status: 'ringing_agent';
  to: string;
  prospectId: string | null;
  /** The caller ID the borrower will see, and why it was chosen. */
  callerId: { number: string | null; reason: string };
}

export interface CallActivityView {
  id: string;
  prospectId: string | null;
  direction: string;
  purpose: string;
  from: string | null;
  to: string | null;
  by: { id: string; name: string } | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  ringSeconds: number | null;
  talkSeconds: number | null;
  result: string;
  /** The stored recording's name in Asterisk (kept for existing clients; play it through recordingUrl). */
  recording: string | null;
  /** Where the audio streams from, when the leg was recorded. */
  recordingUrl: string | null;
  callerIdReason: string | null;
  /** The call this leg belongs to (legs of one call share it). */
  callId: string | null;
  /** Why the leg went the way it did, in words (e.g. why the dialling policy refused a number). */
  detail: string | null;
  /**
   * The recording rule that applied to this borrower's leg once connected (null on other legs and
   * on calls that never connected): `disclosed` (the disclosure played, then recorded),
   * `undisclosed` (recorded without it), `not_recorded`; with the state that decided and whence.
   */
  recordingRule: { rule: 'disclosed' | 'undisclosed' | 'not_recorded'; state: string | null; stateFrom: 'property_state' | 'area_code' | 'unknown' } | null;
}

export interface MissedCallView {
  id: string;
  from: string | null;
  to: string | null;
  prospectId: string | null;
  startedAt: string;
  result: string;
  recordingUrl: string | null;
}

// ---- local presence ----

export interface LocalPresenceNumberView {
  id: string;
  number: string;
  areaCodes: string[];
  mappings: { id: string; areaCode: string }[];
  createdAt: string;
}

export interface InventoryCount {
  areaCode: string;
  free: number;
  assigned: number;
}

export interface InventoryView {
  areaCodes: InventoryCount[];
  free: number;
  assigned: number;
}

export interface LocalPresenceMappingView {
  id: string;
  numberId: string;
  number: string;
  areaCode: string;
}

export interface InventoryLoadView extends InventoryView {
  /** Numbers new to the inventory. */
  added: number;
  /** Numbers of the upload that were in the inventory already (left as they were). */
  alreadyPresent: number;
}

// ---- dial mode (admin side; the operator payloads are in dial-mode.ts) ----

export interface LeadStatusView {
  id: string;
  campaignId: string;
  name: string;
  addToDialMode: boolean;
  callMode: CallMode | null;
  isInitial: boolean;
  position: number;
}

export interface DialModeSettingsView extends DialModeSettings {
  campaignId: string;
  mode: CallMode;
  buttons: DialButton[];
}

export interface DialModeAccessView {
  campaignId: string;
  mode: CallMode;
  userIds: string[];
}

export interface CallingWindowView {
  campaignId: string;
  start: string;
  end: string;
  /** True while the campaign has no window of its own (08:00–21:00). */
  isDefault: boolean;
}

/** One campaign of the dial mode table: its queues per call mode. */
export interface DialModeOverviewRow {
  campaign: { id: string; name: string };
  modes: { mode: CallMode; total: number; counts: Record<DialSubState, number>; highPriority: boolean; operators: number; settingsUrl: string; accessUrl: string }[];
}

export interface DialModeMeView {
  /** The campaigns × modes you may work. */
  scopes: { campaign: { id: string; name: string }; mode: CallMode }[];
  /** The lead handed to you, waiting for its result (null: none). */
  current: DialLeadView | null;
  /** Your dial-mode call in progress, if any. */
  callId: string | null;
}

export interface DoNotCallView {
  id: string;
  phone: string;
  source: string;
  note: string | null;
  createdById: string | null;
  createdAt: string;
}

/** A row of a do-not-call upload that was not imported, with its CSV line. */
export interface DoNotCallRowError {
  line: number;
  value: string;
  message: string;
}

export interface DoNotCallImportView {
  /** Numbers new to the list. */
  added: number;
  /** Valid numbers that were on the list already. */
  alreadyListed: number;
  /** Rows that were not imported, with their CSV line. */
  errors: DoNotCallRowError[];
}

/** A source address refused at Asterisk's SIP port after too many failed requests (GET /api/sip-bans). */
export interface SipBanView {
  address: string;
  /** Failed requests counted when it was banned. */
  failures: number;
  /** User names the failed requests claimed (at most 5). */
  accounts: string[];
  createdAt: string;
  expiresAt: string;
}

export interface LeadStatusChangeView {
  prospectId: string;
  leadStatusId: string | null;
  /** The lead's place in dial mode afterwards (null: not queued). */
  queued: { entryId: string; mode: CallMode; subState: DialSubState; callableAt: string | null } | null;
  /** Why a lead whose status feeds dial mode was not queued. */
  notQueuedReason?: 'no_phone';
}

// ---- health ----

export interface HealthReport {
  status: 'ok' | 'degraded';
  db: { ok: boolean; error?: string };
  /** asteriskVersion: as Asterisk reported it at the last link-up (also when it is refused as too old). */
  ari: { connected: boolean; since: string; asteriskVersion?: string; error?: string };
  /** Only with REDIS_URL: the connection socket.io's rooms are shared over. */
  redis?: { connected: boolean; since: string; error?: string };
  /**
   * Only with AMI_PORT: the AMI session the losers' cancels and the desk phones' check-sync NOTIFY
   * use. Down, losers are cancelled over ARI and no NOTIFY goes out; `status` stays `ok`.
   */
  ami?: { connected: boolean; since: string; error?: string };
}

// ---- desk lights ----

/** The desk daemon package this server offers (`GET /api/desk-package`). */
export interface DeskPackageView {
  name: string;
  version: string;
  /** `leadline-desk-<version>.tgz` */
  fileName: string;
  /** Bytes. */
  size: number;
  /** Hex SHA-256 of the file, to check a copy handed out by other means. */
  sha256: string;
  /** Where the file itself is (same authentication). */
  downloadUrl: string;
}

/** A desk phone known by its MAC (GET/POST/PATCH /api/phones). */
export interface DeskPhoneView {
  id: string;
  /** 12 lower-case hex digits. */
  mac: string;
  vendor: 'yealink' | 'poly' | 'grandstream';
  label: string | null;
  /** Whose account the phone gets; null = not assigned (its line is disabled). */
  user: { id: string; name: string; extension: string | null } | null;
  createdAt: string;
  lastFetchAt: string | null;
  lastFetchAddress: string | null;
  /** The phone's own configuration URL, with its secret: shown once, when the phone is added or its secret renewed. */
  provisioningUrl?: string;
}

/** POST /api/phones/import: the phones added (each with its provisioning URL, shown once) and the rows refused. */
export interface PhonesImportView {
  added: DeskPhoneView[];
  rejected: { line: number; value: string; message: string }[];
}

/** A MAC that asked for its configuration but no phone has (GET /api/phones/waiting). */
export interface WaitingPhoneView {
  mac: string;
  vendor: 'yealink' | 'poly' | 'grandstream' | null;
  firstSeenAt: string;
  lastSeenAt: string;
  lastAddress: string;
  userAgent: string | null;
  fetches: number;
}

/** One configuration request as logged (GET /api/phones/fetches). */
export interface ProvisioningFetchView {
  at: string;
  address: string;
  file: string;
  mac: string | null;
  phoneId: string | null;
  userAgent: string | null;
  result: 'served' | 'unknown_mac' | 'bad_secret' | 'not_allowed' | 'not_found';
}
