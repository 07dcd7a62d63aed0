// Words and numbers as agents read them.
import type { PresenceReason } from '@leadline/contracts';

export function presenceWords(reason: PresenceReason): { title: string; detail: string } {
  switch (reason) {
    case 'available':
      return { title: 'Available', detail: 'Logged in, calls on, not on a call: calls and new leads reach you.' };
    case 'logged_out':
      return { title: 'Not available', detail: 'You are logged out of calls.' };
    case 'calls_off':
      return { title: 'Not available', detail: 'Your calls are off.' };
    case 'on_call':
      return { title: 'Not available', detail: 'You are on a call.' };
    case 'inbound_ringing':
      return { title: 'Incoming call', detail: 'An inbound call is ringing your phone.' };
  }
}

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

export function formatAmount(amount: number | null): string {
  return amount === null ? '—' : money.format(amount);
}

const PURPOSES: Record<string, string> = { purchase: 'Purchase', refinance: 'Refinance', cash_out_refinance: 'Cash-out refinance', heloc: 'HELOC', reverse: 'Reverse', construction: 'Construction', other: 'Other' };

export function formatPurpose(purpose: string | null): string {
  if (!purpose) return '—';
  return PURPOSES[purpose] ?? purpose.replace(/_/g, ' ');
}

const VIA: Record<string, string> = { ring_all: 'Ring All', distribute_all: 'Distribute All', manual: 'Assigned by a manager', default_agent: 'Default agent' };

export function formatVia(via: string): string {
  return VIA[via] ?? via.replace(/_/g, ' ');
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString('en-US', { month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' });
}

/** "1:05" for 65 seconds. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function fullName(first: string | null, last: string | null): string {
  return [first, last].filter(Boolean).join(' ') || '(no name)';
}
