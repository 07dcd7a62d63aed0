// Lead Exceptions (PRODUCT.md §3): leads whose distribution failed. Per-column filters of the
// column's type, sort, server-side pages; Assign (user picker), Ignore (confirm), Show ignored
// (ignored rows last, still assignable, unignore).
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, errorMessage } from '../../api';
import { useAsync } from '../../ui/async';
import { ConfirmDialog } from '../../ui/modal';
import { useStepBackPastEnd } from '../../ui/pager';
import { useToast } from '../../ui/toast';
import { formatDateTime, SortHeader } from './controls';
import { hasFilters, LeadFilters, leadFiltersFromSearch, NO_FILTERS, useCampaignOptions, useLeadQuery } from './lead-filters';
import { LeadListTable } from './LeadListTable';
import './admin.css';
import type { LeadRowView, Page } from '@leadline/contracts';

type SortKey = 'name' | 'campaign' | 'description' | 'distribution' | 'leadProvider' | 'loanPurpose' | 'loanAmount' | 'state' | 'failureReason' | 'createDate';

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Prospect name' },
  { key: 'campaign', label: 'Campaign' },
  { key: 'description', label: 'Description' },
  { key: 'distribution', label: 'Distribution' },
  { key: 'leadProvider', label: 'Lead provider' },
  { key: 'loanPurpose', label: 'Loan purpose type' },
  { key: 'loanAmount', label: 'Loan amount' },
  { key: 'state', label: 'State' },
  { key: 'failureReason', label: 'Failure reason' },
  { key: 'createDate', label: 'Create date' },
];

export function LeadExceptionsPage() {
  const toast = useToast();
  // A link (from the reports) may name filters in the URL.
  const [search] = useSearchParams();
  const [filters, setFilters] = useState<LeadFilters>(() => leadFiltersFromSearch(search));
  const [sort, setSort] = useState<SortKey>('createDate');
  const [order, setOrder] = useState<'asc' | 'desc'>('desc');
  const [showIgnored, setShowIgnored] = useState(() => search.get('showIgnored') === 'true');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const [ignoring, setIgnoring] = useState<LeadRowView | null>(null);
  const query = useLeadQuery(filters);
  const campaigns = useCampaignOptions();
  const list = useAsync(() => api.get<Page<LeadRowView>>('/lead-exceptions', { ...query, sort, order, showIgnored, page, pageSize }), [query, sort, order, showIgnored, page, pageSize]);

  const set = (patch: Partial<LeadFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };

  const ignore = async (row: LeadRowView) => {
    setIgnoring(null);
    try {
      await api.post(`/lead-exceptions/${row.prospectId}/ignore`);
      toast('success', `${row.name || 'Lead'} ignored`);
      list.reload();
    } catch (err) {
      toast('error', errorMessage(err));
    }
  };

  const unignore = async (row: LeadRowView) => {
    try {
      await api.post(`/lead-exceptions/${row.prospectId}/unignore`);
      toast('success', `${row.name || 'Lead'} is listed again`);
      list.reload();
    } catch (err) {
      toast('error', errorMessage(err));
    }
  };

  useStepBackPastEnd(list.data, page, setPage);
  return (
    <>
      <div className="page-head">
        <h1>Lead exceptions</h1>
        <div className="row" style={{ alignItems: 'center' }}>
          <label className="inline">
            <input
              type="checkbox"
              checked={showIgnored}
              onChange={(e) => {
                setShowIgnored(e.target.checked);
                setPage(1);
              }}
            />
            Show ignored
          </label>
          {hasFilters(filters) && (
            <button type="button" onClick={() => set(NO_FILTERS)}>
              Clear filters
            </button>
          )}
        </div>
      </div>
      <LeadListTable
        label="Lead exceptions"
        columns={COLUMNS.length}
        list={list}
        campaigns={campaigns}
        filters={filters}
        setFilters={set}
        headers={COLUMNS.map((c) => (
          <SortHeader
            key={c.key}
            column={c.key}
            label={c.label}
            sort={sort}
            order={order}
            onSort={(s, o) => {
              setSort(s);
              setOrder(o);
              setPage(1);
            }}
          />
        ))}
        failureNote={(r) => r.ignored && <div className="muted">Ignored {formatDateTime(r.ignoredAt)}</div>}
        actions={(r, assign) => (
          <>
            <button type="button" className="small" onClick={assign} aria-label={`Assign ${r.name}`}>
              Assign
            </button>
            {r.ignored ? (
              <button type="button" className="small" onClick={() => void unignore(r)} aria-label={`Unignore ${r.name}`}>
                Unignore
              </button>
            ) : (
              <button type="button" className="small" onClick={() => setIgnoring(r)} aria-label={`Ignore ${r.name}`}>
                Ignore
              </button>
            )}
          </>
        )}
        empty={hasFilters(filters) ? 'No lead exception matches these filters.' : 'No lead exceptions: every lead found an agent.'}
        pageSize={pageSize}
        onPageSize={setPageSize}
        onPage={setPage}
      />
      {ignoring && (
        <ConfirmDialog
          title="Ignore lead exception"
          text={`Ignore ${ignoring.name || 'this lead'}? It is hidden from this list unless “Show ignored” is on, and can still be assigned.`}
          confirmLabel="Ignore"
          onCancel={() => setIgnoring(null)}
          onConfirm={() => void ignore(ignoring)}
        />
      )}
    </>
  );
}
