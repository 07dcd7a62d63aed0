// Call activity, for every role (the server shows agents only their own legs): four filters —
// talk time (number range), date (date-time range), phone (several numbers + search), by (several
// users + search) — sort, server-side pages, and a recording popup.
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, tokenStore } from '../../api';
import { useMe } from '../../auth';
import { ErrorBanner, Loading, useAsync } from '../../ui/async';
import { Modal } from '../../ui/modal';
import { PagedFooter } from '../../ui/pager';
import { ChipsInput, formatDateTime, formatSeconds, humanize, isoToLocalInput, localToIso, MultiSelect, numberOrUndefined, SortHeader, useAllUsers, useDebounced } from './controls';
import './admin.css';
import type { CallActivityView, Page } from '@leadline/contracts';

type SortKey = 'startedAt' | 'direction' | 'purpose' | 'from' | 'to' | 'by' | 'ringSeconds' | 'talkSeconds' | 'result';

interface Filters {
  talkMin: string;
  talkMax: string;
  from: string;
  to: string;
  phone: string[];
  phoneSearch: string;
  byUserId: string[];
  bySearch: string;
}

const NO_FILTERS: Filters = { talkMin: '', talkMax: '', from: '', to: '', phone: [], phoneSearch: '', byUserId: [], bySearch: '' };

export function CallActivityPage() {
  const me = useMe();
  const manages = me.role !== 'agent';
  // A link (from the reports) may name filters in the URL: from/to as ISO 8601 instants, users and phones repeated.
  const [search] = useSearchParams();
  const [filters, setFilters] = useState<Filters>(() => ({
    ...NO_FILTERS,
    from: isoToLocalInput(search.get('from')),
    to: isoToLocalInput(search.get('to')),
    phone: search.getAll('phone'),
    byUserId: search.getAll('byUserId'),
  }));
  const [sort, setSort] = useState<SortKey>('startedAt');
  const [order, setOrder] = useState<'asc' | 'desc'>('desc');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const [playing, setPlaying] = useState<CallActivityView | null>(null);
  const users = useAllUsers(manages);
  const talkMin = useDebounced(filters.talkMin);
  const talkMax = useDebounced(filters.talkMax);
  const phoneSearch = useDebounced(filters.phoneSearch.trim());
  const bySearch = useDebounced(filters.bySearch.trim());
  const list = useAsync(
    () =>
      api.get<Page<CallActivityView>>('/call-activity', {
        talkMin: numberOrUndefined(talkMin),
        talkMax: numberOrUndefined(talkMax),
        from: localToIso(filters.from),
        to: localToIso(filters.to),
        phone: filters.phone,
        phoneSearch,
        byUserId: filters.byUserId,
        bySearch,
        sort,
        order,
        page,
        pageSize,
      }),
    [talkMin, talkMax, filters.from, filters.to, filters.phone, phoneSearch, filters.byUserId, bySearch, sort, order, page, pageSize],
  );
  const set = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };
  const onSort = (s: SortKey, o: 'asc' | 'desc') => {
    setSort(s);
    setOrder(o);
    setPage(1);
  };
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);
  const rows = list.data?.items ?? [];
  const head = (key: SortKey, label: string) => <SortHeader column={key} label={label} sort={sort} order={order} onSort={onSort} />;

  return (
    <>
      <div className="page-head">
        <h1>Call activity</h1>
        {filtered && (
          <button type="button" onClick={() => set(NO_FILTERS)}>
            Clear filters
          </button>
        )}
      </div>
      {!manages && <p className="muted">Your own calls.</p>}
      <section className="panel" aria-label="Call filters">
        <div className="grid-form">
          <fieldset>
            <legend>Talk time (seconds)</legend>
            <div className="row">
              <input type="number" min={0} aria-label="Talk time at least (seconds)" placeholder="Min" value={filters.talkMin} onChange={(e) => set({ talkMin: e.target.value })} style={{ width: '6rem' }} />
              <input type="number" min={0} aria-label="Talk time at most (seconds)" placeholder="Max" value={filters.talkMax} onChange={(e) => set({ talkMax: e.target.value })} style={{ width: '6rem' }} />
            </div>
          </fieldset>
          <fieldset>
            <legend>Date</legend>
            <div className="range">
              <input type="datetime-local" aria-label="Calls from" value={filters.from} onChange={(e) => set({ from: e.target.value })} />
              <input type="datetime-local" aria-label="Calls to" value={filters.to} onChange={(e) => set({ to: e.target.value })} />
            </div>
          </fieldset>
          <fieldset>
            <legend>Phone</legend>
            <ChipsInput label="Phone numbers" value={filters.phone} onChange={(phone) => set({ phone })} placeholder="Add a number, Enter" />
            <input type="search" aria-label="Phone contains" placeholder="Digits contain…" value={filters.phoneSearch} onChange={(e) => set({ phoneSearch: e.target.value })} style={{ marginTop: '0.3rem', width: '100%' }} />
          </fieldset>
          <fieldset>
            <legend>By</legend>
            {manages && <MultiSelect label="Filter by user" options={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))} value={filters.byUserId} onChange={(byUserId) => set({ byUserId })} placeholder="Anyone" />}
            <input type="search" aria-label="User name contains" placeholder="Name contains…" value={filters.bySearch} onChange={(e) => set({ bySearch: e.target.value })} style={{ marginTop: '0.3rem', width: '100%' }} />
          </fieldset>
        </div>
      </section>
      <ErrorBanner error={users.error} onRetry={users.reload} />
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <div className="table-wrap">
        <table className="sticky-actions" aria-label="Call activity" aria-busy={list.loading}>
          <thead>
            <tr>
              {head('startedAt', 'Date')}
              {head('direction', 'Direction')}
              {head('purpose', 'Call')}
              {head('from', 'From')}
              {head('to', 'To')}
              {head('by', 'By')}
              {head('ringSeconds', 'Ring')}
              {head('talkSeconds', 'Talk time')}
              {head('result', 'Result')}
              <th>Recording</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td className="nowrap">{formatDateTime(r.startedAt)}</td>
                <td>{humanize(r.direction)}</td>
                <td>{humanize(r.purpose)}</td>
                <td className="mono nowrap" title={r.callerIdReason ? `Caller ID: ${humanize(r.callerIdReason)}` : undefined}>
                  {r.from}
                </td>
                <td className="mono nowrap">{r.to}</td>
                <td>{r.by?.name}</td>
                <td className="num">{formatSeconds(r.ringSeconds)}</td>
                <td className="num">{formatSeconds(r.talkSeconds)}</td>
                <td>
                  {humanize(r.result)}
                  {r.detail && <div className="muted small">{r.detail}</div>}
                </td>
                <td>
                  {r.recordingUrl ? (
                    <button type="button" className="small" onClick={() => setPlaying(r)} aria-label={`Play recording of the call at ${formatDateTime(r.startedAt)}`}>
                      ▶ Play
                    </button>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
            {list.data && !rows.length && (
              <tr>
                <td colSpan={10} className="muted">
                  No calls{filtered ? ' match these filters' : ' yet'}.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <PagedFooter
          data={list.data}
          onPage={setPage}
          pageSize={pageSize}
          onPageSize={setPageSize}
        />
      )}
      {playing && <RecordingDialog call={playing} onClose={() => setPlaying(null)} />}
    </>
  );
}

/**
 * Plays GET /api/recordings/:id. An <audio src> cannot send the Authorization header, so the file is
 * fetched with it into a blob URL (released when the popup closes).
 */
function RecordingDialog({ call, onClose }: { call: CallActivityView; onClose: () => void }) {
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    let url: string | null = null;
    const token = tokenStore.get();
    fetch(call.recordingUrl ?? `/api/recordings/${call.id}`, { headers: token ? { Authorization: `Bearer ${token}` } : {}, signal: abort.signal })
      .then(async (res) => {
        if (res.ok) {
          url = URL.createObjectURL(await res.blob());
          setSrc(url);
          return;
        }
        if (res.status === 404) setError('This recording is not available: the call was not recorded, or the file is gone from the phone system.');
        else if (res.status === 503) setError('The phone system cannot be reached right now, so the recording cannot be played. Try again in a moment.');
        else {
          const body = (await res.json().catch(() => null)) as { message?: string } | null;
          setError(body?.message ?? `The server answered ${res.status} ${res.statusText}`);
        }
      })
      .catch((err: unknown) => {
        if (!abort.signal.aborted) setError(err instanceof Error ? `The recording could not be loaded: ${err.message}` : 'The recording could not be loaded');
      });
    return () => {
      abort.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [call]);
  return (
    <Modal title="Recording" onClose={onClose}>
      <p className="muted">
        {formatDateTime(call.startedAt)} · {humanize(call.purpose)} · {call.from} → {call.to}
        {call.by ? ` · ${call.by.name}` : ''} · talk {formatSeconds(call.talkSeconds) || '0s'}
      </p>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      {!error && !src && <Loading what="Loading the recording" />}
      {src && <audio controls autoPlay src={src} style={{ width: '100%' }} aria-label="Recording player" />}
    </Modal>
  );
}
