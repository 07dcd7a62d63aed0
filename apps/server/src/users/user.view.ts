import { User } from '../database/entities';

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
  role: string;
  workPhoneType: string | null;
  workPhone: string | null;
  sipUsername: string | null;
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

export function toUserView(u: User): UserView {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    workPhoneType: u.workPhoneType ?? null,
    workPhone: u.workPhone ?? null,
    sipUsername: u.sipUsername ?? null,
    callerId: u.callerId ?? null,
    stateLicences: u.stateLicences,
    filterLoanPurposes: u.filterLoanPurposes,
    filterLoanAmountMin: u.filterLoanAmountMin ?? null,
    filterLoanAmountMax: u.filterLoanAmountMax ?? null,
    filterLeadProviders: u.filterLeadProviders,
    callsOn: u.callsOn,
    loggedIn: u.loggedIn,
    showIncomingCallDetails: u.showIncomingCallDetails,
    onCall: !!u.onCallSince,
    createdAt: u.createdAt.toISOString(),
  };
}
