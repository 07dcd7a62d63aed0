// Shapes of the REST answers the dashboard reads (the server's views; see /api/docs).
export type Role = 'admin' | 'manager' | 'agent';

export interface SipAccount {
  server: string;
  port: number;
  transport: 'udp';
  username: string;
  password?: string;
}

export interface User {
  id: string;
  name: string;
  email: string;
  role: Role;
  workPhoneType: 'sip_desk' | 'static_ip' | 'external' | null;
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
  sipAccount?: SipAccount;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
