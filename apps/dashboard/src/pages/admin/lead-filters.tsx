// The column filters Lead Exceptions and Unassigned Leads share (docs/lead-exceptions.md): text
// search, multi-select, number range and date-time range, turned into the server's query params.
import { useMemo } from 'react';
import { DISTRIBUTION_TYPES, FAILURE_REASONS, LOAN_PURPOSES, US_STATES } from '@leadline/domain';
import { api } from '../../api';
import { useAsync } from '../../ui/async';
import { ChipsInput, humanize, isoToLocalInput, localToIso, MultiSelect, numberOrUndefined, Option, options, useDebounced } from './controls';
import type { CampaignView, LeadRowView } from '@leadline/contracts';

export interface LeadFilters {
  name: string;
  campaignId: string[];
  description: string;
  distribution: string[];
  leadProvider: string[];
  loanPurpose: string[];
  loanAmountMin: string;
  loanAmountMax: string;
  state: string[];
  failureReason: string[];
  createdFrom: string;
  createdTo: string;
}

export const NO_FILTERS: LeadFilters = {
  name: '',
  campaignId: [],
  description: '',
  distribution: [],
  leadProvider: [],
  loanPurpose: [],
  loanAmountMin: '',
  loanAmountMax: '',
  state: [],
  failureReason: [],
  createdFrom: '',
  createdTo: '',
};

export const hasFilters = (f: LeadFilters) => JSON.stringify(f) !== JSON.stringify(NO_FILTERS);

/**
 * Filters named in the page's URL (links from the reports): the list filters repeated
 * (`?failureReason=…&campaignId=…`), createdFrom / createdTo as ISO 8601 instants.
 */
export function leadFiltersFromSearch(params: URLSearchParams): LeadFilters {
  const lists = ['campaignId', 'distribution', 'leadProvider', 'loanPurpose', 'state', 'failureReason'] as const;
  const f: LeadFilters = { ...NO_FILTERS };
  for (const key of lists) f[key] = params.getAll(key);
  for (const key of ['name', 'description', 'loanAmountMin', 'loanAmountMax'] as const) f[key] = params.get(key) ?? '';
  f.createdFrom = isoToLocalInput(params.get('createdFrom'));
  f.createdTo = isoToLocalInput(params.get('createdTo'));
  return f;
}

/** The server's query for the filters; the text filters are debounced so typing does not flood it. */
export function useLeadQuery(f: LeadFilters) {
  const name = useDebounced(f.name.trim());
  const description = useDebounced(f.description.trim());
  const loanAmountMin = useDebounced(f.loanAmountMin);
  const loanAmountMax = useDebounced(f.loanAmountMax);
  return useMemo(
    () => ({
      name,
      description,
      campaignId: f.campaignId,
      distribution: f.distribution,
      leadProvider: f.leadProvider,
      loanPurpose: f.loanPurpose,
      state: f.state,
      failureReason: f.failureReason,
      loanAmountMin: numberOrUndefined(loanAmountMin),
      loanAmountMax: numberOrUndefined(loanAmountMax),
      createdFrom: localToIso(f.createdFrom),
      createdTo: localToIso(f.createdTo),
    }),
    [name, description, loanAmountMin, loanAmountMax, f.campaignId, f.distribution, f.leadProvider, f.loanPurpose, f.state, f.failureReason, f.createdFrom, f.createdTo],
  );
}

export const useCampaignOptions = () => useAsync(() => api.get<CampaignView[]>('/campaigns'), []);

const REASONS = Object.values(FAILURE_REASONS);

/** One filter cell per column, in the column order of LeadColumns. */
export function LeadFilterCells({ filters, set, campaigns, rows }: { filters: LeadFilters; set: (patch: Partial<LeadFilters>) => void; campaigns: CampaignView[]; rows: LeadRowView[] }) {
  const campaignOptions: Option[] = campaigns.map((c) => ({ value: c.id, label: c.name }));
  // Lead providers: the campaigns' own plus any seen on the rows; the lead's own may differ, so a
  // provider can also be typed.
  const providers = Array.from(new Set([...campaigns.map((c) => c.leadProvider), ...rows.map((r) => r.leadProvider), ...filters.leadProvider].filter((p): p is string => !!p))).sort();
  return (
    <>
      <th>
        <input type="search" aria-label="Filter by prospect name" placeholder="Search" value={filters.name} onChange={(e) => set({ name: e.target.value })} maxLength={200} />
      </th>
      <th>
        <MultiSelect label="Filter by campaign" options={campaignOptions} value={filters.campaignId} onChange={(campaignId) => set({ campaignId })} />
      </th>
      <th>
        <input type="search" aria-label="Filter by description" placeholder="Search" value={filters.description} onChange={(e) => set({ description: e.target.value })} maxLength={200} />
      </th>
      <th>
        <MultiSelect label="Filter by distribution" options={options(DISTRIBUTION_TYPES, humanize)} value={filters.distribution} onChange={(distribution) => set({ distribution })} />
      </th>
      <th>
        {providers.length ? (
          <MultiSelect label="Filter by lead provider" options={options(providers)} value={filters.leadProvider} onChange={(leadProvider) => set({ leadProvider })} />
        ) : (
          <ChipsInput label="Filter by lead provider" value={filters.leadProvider} onChange={(leadProvider) => set({ leadProvider })} placeholder="Any" />
        )}
      </th>
      <th>
        <MultiSelect label="Filter by loan purpose type" options={options(LOAN_PURPOSES, humanize)} value={filters.loanPurpose} onChange={(loanPurpose) => set({ loanPurpose })} />
      </th>
      <th>
        <div className="range">
          <input type="number" min={0} aria-label="Loan amount at least" placeholder="Min" value={filters.loanAmountMin} onChange={(e) => set({ loanAmountMin: e.target.value })} />
          <input type="number" min={0} aria-label="Loan amount at most" placeholder="Max" value={filters.loanAmountMax} onChange={(e) => set({ loanAmountMax: e.target.value })} />
        </div>
      </th>
      <th>
        <MultiSelect label="Filter by state" options={options(US_STATES)} value={filters.state} onChange={(state) => set({ state })} />
      </th>
      <th>
        <MultiSelect label="Filter by failure reason" options={options(REASONS)} value={filters.failureReason} onChange={(failureReason) => set({ failureReason })} />
      </th>
      <th>
        <div className="range wide">
          <input type="datetime-local" aria-label="Created from" value={filters.createdFrom} onChange={(e) => set({ createdFrom: e.target.value })} />
          <input type="datetime-local" aria-label="Created to" value={filters.createdTo} onChange={(e) => set({ createdTo: e.target.value })} />
        </div>
      </th>
    </>
  );
}
