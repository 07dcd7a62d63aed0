// Unassigned Leads: every lead nobody has taken yet (new, distributing, exception), newest first,
// with the Lead Exception filters plus status. Exceptions can be assigned from here too.
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { PROSPECT_STATUSES } from '@leadline/domain';
import { api } from '../../api';
import { useAsync } from '../../ui/async';
import { useStepBackPastEnd } from '../../ui/pager';
import { humanize, MultiSelect, options } from './controls';
import { hasFilters, LeadFilters, leadFiltersFromSearch, NO_FILTERS, useCampaignOptions, useLeadQuery } from './lead-filters';
import { LeadListTable } from './LeadListTable';
import './admin.css';
import type { LeadRowView, Page } from '@leadline/contracts';

const STATUSES = PROSPECT_STATUSES.filter((s) => s !== 'assigned');
const COLUMNS = ['Prospect name', 'Campaign', 'Description', 'Distribution', 'Lead provider', 'Loan purpose type', 'Loan amount', 'State', 'Failure reason', 'Create date', 'Status'];

export function UnassignedLeadsPage() {
  // A link (from the reports) may name filters in the URL.
  const [search] = useSearchParams();
  const [filters, setFilters] = useState<LeadFilters>(() => leadFiltersFromSearch(search));
  const [status, setStatus] = useState<string[]>(() => search.getAll('status'));
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const query = useLeadQuery(filters);
  const campaigns = useCampaignOptions();
  const list = useAsync(() => api.get<Page<LeadRowView>>('/unassigned-leads', { ...query, status, page, pageSize }), [query, status, page, pageSize]);
  const set = (patch: Partial<LeadFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };
  useStepBackPastEnd(list.data, page, setPage);
  return (
    <>
      <div className="page-head">
        <h1>Unassigned leads</h1>
        {(hasFilters(filters) || status.length > 0) && (
          <button
            type="button"
            onClick={() => {
              set(NO_FILTERS);
              setStatus([]);
            }}
          >
            Clear filters
          </button>
        )}
      </div>
      <p className="muted">Leads nobody has taken yet, newest first. Lead exceptions can be assigned here or on the Lead exceptions page.</p>
      <LeadListTable
        label="Unassigned leads"
        columns={COLUMNS.length}
        list={list}
        campaigns={campaigns}
        filters={filters}
        setFilters={set}
        headers={COLUMNS.map((c) => (
          <th key={c}>{c}</th>
        ))}
        extraFilterCells={
          <th>
            <MultiSelect
              label="Filter by status"
              options={options(STATUSES, humanize)}
              value={status}
              onChange={(s) => {
                setStatus(s);
                setPage(1);
              }}
            />
          </th>
        }
        extraCells={(r) => (
          <td>
            {humanize(r.status)}
            {r.ignored && <span className="muted"> · ignored</span>}
          </td>
        )}
        actions={(r, assign) =>
          r.status === 'exception' && (
            <button type="button" className="small" onClick={assign} aria-label={`Assign ${r.name}`}>
              Assign
            </button>
          )
        }
        empty={`No unassigned leads${hasFilters(filters) || status.length ? ' match these filters' : ''}.`}
        pageSize={pageSize}
        onPageSize={setPageSize}
        onPage={setPage}
      />
    </>
  );
}
