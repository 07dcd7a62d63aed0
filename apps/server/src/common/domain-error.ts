// Services throw these, never HttpException: ARI handlers and socket gateways call services too.
// One filter maps each code to HTTP; a new code that isn't mapped breaks the build.
import type { FieldError } from '@leadline/contracts';

export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  InvalidCampaignKey = 'INVALID_CAMPAIGN_KEY',
  CampaignNotFound = 'CAMPAIGN_NOT_FOUND',
  UserNotFound = 'USER_NOT_FOUND',
  GroupNotFound = 'GROUP_NOT_FOUND',
  ProspectNotFound = 'PROSPECT_NOT_FOUND',
  ApplicationNotFound = 'APPLICATION_NOT_FOUND',
  RecordingNotFound = 'RECORDING_NOT_FOUND',
  PromptNotFound = 'PROMPT_NOT_FOUND',
  NumberNotFound = 'NUMBER_NOT_FOUND',
  MappingNotFound = 'MAPPING_NOT_FOUND',
  LeadAlreadyAssigned = 'LEAD_ALREADY_ASSIGNED',
  EmailTaken = 'EMAIL_TAKEN',
  PhoneConflict = 'PHONE_CONFLICT',
  Conflict = 'CONFLICT',
  /** No number with the area code is free in the inventory: the dashboard shows a warning toast. */
  NoNumberAvailable = 'NO_NUMBER_AVAILABLE',
  MappingExists = 'MAPPING_EXISTS',
  AgentUnavailable = 'AGENT_UNAVAILABLE',
  RateLimited = 'RATE_LIMITED',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  TelephonyUnavailable = 'TELEPHONY_UNAVAILABLE',
  LeadStatusNotFound = 'LEAD_STATUS_NOT_FOUND',
  DialEntryNotFound = 'DIAL_ENTRY_NOT_FOUND',
  DoNotCallNotFound = 'DO_NOT_CALL_NOT_FOUND',
  /** Dial mode: the operator holds no lead (nothing to record a result for). */
  NoCurrentDialLead = 'NO_CURRENT_DIAL_LEAD',
  /** Dial mode: the operator must record a result for (or release) the lead they hold first. */
  DialResultPending = 'DIAL_RESULT_PENDING',
  /** Dial mode: the lead is being dialled by an operator right now. */
  LeadBeingDialled = 'LEAD_BEING_DIALLED',
  SipBanNotFound = 'SIP_BAN_NOT_FOUND',
  /** Too many failed logins for this account or from this address: retry after the given delay. */
  LoginRateLimited = 'LOGIN_RATE_LIMITED',
  /** This server was built without the desk daemon package (`npm run build` makes it). */
  DeskPackageNotFound = 'DESK_PACKAGE_NOT_FOUND',
  WebhookNotFound = 'WEBHOOK_NOT_FOUND',
  WebhookDeliveryNotFound = 'WEBHOOK_DELIVERY_NOT_FOUND',
  /** A signed recording link that is malformed, tampered with, or expired. */
  RecordingLinkInvalid = 'RECORDING_LINK_INVALID',
  /** Another user of the org has this extension. */
  ExtensionTaken = 'EXTENSION_TAKEN',
  /** The org's dialling policy does not allow calling this number (the message says why). */
  DiallingRefused = 'DIALLING_REFUSED',
  /** No live call with this id that the user may act on. */
  CallNotFound = 'CALL_NOT_FOUND',
  /** A desk phone (by id in the API). */
  PhoneNotFound = 'PHONE_NOT_FOUND',
  /** Another desk phone has this MAC. */
  PhoneMacTaken = 'PHONE_MAC_TAKEN',
  /** A configuration request without a valid per-phone secret, from outside PROVISIONING_SUBNETS. */
  ProvisioningDenied = 'PROVISIONING_DENIED',
  /** No configuration file by that name for this phone (unknown MACs included: nothing is told apart). */
  ProvisioningFileNotFound = 'PROVISIONING_FILE_NOT_FOUND',
}

export type { FieldError };

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
    /** Sent as Retry-After with a 429. */
    readonly options: { retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
}

// class-validator messages already start with the property name; ours don't.
const describeField = (f: FieldError) => (f.message.startsWith(f.field.split('.').pop()!) ? f.message : `${f.field} ${f.message}`);

export const validationFailed = (fields: FieldError[], message = 'Validation failed') =>
  new DomainError(ErrorCode.ValidationFailed, `${message}: ${fields.map(describeField).join('; ')}`, fields);

export const notFound = (code: ErrorCode, what: string, id: string) => new DomainError(code, `${what} ${id} not found`);

export function assertUnreachable(value: never): never {
  throw new Error(`unhandled value: ${String(value)}`);
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
      return 400;
    case ErrorCode.InvalidCredentials:
    case ErrorCode.Unauthenticated:
    case ErrorCode.InvalidCampaignKey:
    case ErrorCode.ProvisioningDenied:
      return 401;
    case ErrorCode.Forbidden:
    case ErrorCode.RecordingLinkInvalid:
      return 403;
    case ErrorCode.CampaignNotFound:
    case ErrorCode.UserNotFound:
    case ErrorCode.GroupNotFound:
    case ErrorCode.ProspectNotFound:
    case ErrorCode.ApplicationNotFound:
    case ErrorCode.RecordingNotFound:
    case ErrorCode.PromptNotFound:
    case ErrorCode.NumberNotFound:
    case ErrorCode.MappingNotFound:
    case ErrorCode.LeadStatusNotFound:
    case ErrorCode.DialEntryNotFound:
    case ErrorCode.DoNotCallNotFound:
    case ErrorCode.SipBanNotFound:
    case ErrorCode.DeskPackageNotFound:
    case ErrorCode.WebhookNotFound:
    case ErrorCode.WebhookDeliveryNotFound:
    case ErrorCode.CallNotFound:
    case ErrorCode.PhoneNotFound:
    case ErrorCode.ProvisioningFileNotFound:
      return 404;
    case ErrorCode.LeadAlreadyAssigned:
    case ErrorCode.EmailTaken:
    case ErrorCode.PhoneConflict:
    case ErrorCode.Conflict:
    case ErrorCode.NoNumberAvailable:
    case ErrorCode.MappingExists:
    case ErrorCode.AgentUnavailable:
    case ErrorCode.NoCurrentDialLead:
    case ErrorCode.DialResultPending:
    case ErrorCode.LeadBeingDialled:
    case ErrorCode.ExtensionTaken:
    case ErrorCode.PhoneMacTaken:
      return 409;
    case ErrorCode.DiallingRefused:
      return 403;
    case ErrorCode.RateLimited:
    case ErrorCode.LoginRateLimited:
      return 429;
    case ErrorCode.UnsupportedMediaType:
      return 415;
    case ErrorCode.TelephonyUnavailable:
      return 503;
    default:
      return assertUnreachable(code);
  }
}
