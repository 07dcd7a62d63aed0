// Shapes the agent pages read from the server (see /api/docs: applications).

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
  status: string;
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
  status: 'ringing_agent';
  to: string;
  prospectId: string | null;
  callerId: { number: string | null; reason: string };
}
