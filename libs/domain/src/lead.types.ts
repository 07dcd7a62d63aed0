// Domain vocabulary shared by the server, the dashboard and the desk daemon. No I/O here.

export const ROLES = ['admin', 'manager', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export const DISTRIBUTION_TYPES = ['ring_all', 'distribute_all', 'none'] as const;
export type DistributionType = (typeof DISTRIBUTION_TYPES)[number];

export const PROSPECT_STATUSES = ['new', 'distributing', 'assigned', 'exception'] as const;
export type ProspectStatus = (typeof PROSPECT_STATUSES)[number];

export const WORK_PHONE_TYPES = ['sip_desk', 'static_ip', 'external'] as const;
export type WorkPhoneType = (typeof WORK_PHONE_TYPES)[number];

export const LOAN_PURPOSES = ['purchase', 'refinance', 'cash_out_refinance', 'heloc', 'reverse', 'construction', 'other'] as const;
export type LoanPurpose = (typeof LOAN_PURPOSES)[number];

export const FAILURE_REASONS = {
  noAvailableAgents: 'No available agents were found',
  noAgentsAnswered: 'No agents answered the call',
  noAgentsClicked: 'No agents clicked the New Lead button',
  fatalError: 'Fatal error',
} as const;
export type FailureReason = (typeof FAILURE_REASONS)[keyof typeof FAILURE_REASONS];

/** How a prospect became an application: an agent took it (ring all, distribute all), by hand, or the campaign's default agent after a failure. */
export const ASSIGNMENT_VIAS = ['ring_all', 'distribute_all', 'manual', 'default_agent'] as const;
export type AssignmentVia = (typeof ASSIGNMENT_VIAS)[number];

/** The kinds of call webhooks report (a phone_call's kind; monitoring calls are not among them). */
export const CALL_KINDS = ['ring_all', 'click_to_call', 'dial_mode', 'inbound', 'desk_phone'] as const;
export type CallKind = (typeof CALL_KINDS)[number];

export const US_STATES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME',
  'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI',
  'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY', 'PR', 'VI', 'GU', 'AS', 'MP',
] as const;
export type UsState = (typeof US_STATES)[number];
