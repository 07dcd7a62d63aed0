// Small controls the admin pages share: a searchable multi-select, a chips input for free values,
// a copy button, every user of the org, and formatting helpers.
import { CSSProperties, KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { LOAN_PURPOSES } from '@leadline/domain';
import { api } from '../../api';
import { useAsync } from '../../ui/async';
import { useToast } from '../../ui/toast';
import type { Page, UserView } from '@leadline/contracts';

export interface Option {
  value: string;
  label: string;
}

export const options = (values: readonly string[], label: (v: string) => string = (v) => v): Option[] => values.map((v) => ({ value: v, label: label(v) }));

/** "cash_out_refinance" → "Cash out refinance". */
export function humanize(value: string | null | undefined): string {
  if (!value) return '';
  const text = value.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

export function formatAmount(amount: number | null | undefined): string {
  return amount === null || amount === undefined ? '' : `$${amount.toLocaleString('en-US')}`;
}

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '';
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m ? `${m}m ${String(s).padStart(2, '0')}s` : `${s}s`;
}

/** A `datetime-local` value (the browser's zone) as an ISO 8601 instant with a zone, or undefined. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** An ISO 8601 instant as a `datetime-local` value in the browser's zone (seconds kept), or '' when it is none. */
export function isoToLocalInput(iso: string | null): string {
  const at = iso ? new Date(iso) : null;
  if (!at || Number.isNaN(at.getTime())) return '';
  const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 19);
}

/** A number input's text as a number, or undefined when empty or not a number. */
export function numberOrUndefined(value: string): number | undefined {
  if (value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** The value, debounced: for text filters that query the server. */
export function useDebounced<T>(value: T, ms = 300): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

/** Every user of the org (the list pages through the server's 200-per-page limit). */
export async function loadAllUsers(): Promise<UserView[]> {
  const users: UserView[] = [];
  for (let page = 1; ; page++) {
    const res = await api.get<Page<UserView>>('/users', { page, pageSize: 200 });
    users.push(...res.items);
    if (users.length >= res.total || !res.items.length) return users;
  }
}

export function useAllUsers(enabled = true) {
  return useAsync(() => (enabled ? loadAllUsers() : Promise.resolve([] as UserView[])), [enabled]);
}

/**
 * A button that opens a list of checkboxes with a search box. `label` names the control for screen
 * readers and tests ("State filter"); the button shows what is selected.
 */
export function MultiSelect({ label, options: opts, value, onChange, placeholder = 'Any', disabled }: { label: string; options: Option[]; value: string[]; onChange: (v: string[]) => void; placeholder?: string; disabled?: boolean }) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [place, setPlace] = useState<CSSProperties>({});
  const ref = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const listId = useId();
  /** Where the list floats: under the button, or above it when there is more room there. */
  const placeList = () => {
    if (!button.current) return;
    const r = button.current.getBoundingClientRect();
    const below = window.innerHeight - r.bottom - 12;
    const above = r.top - 12;
    const left = Math.max(8, Math.min(r.left, window.innerWidth - 330));
    setPlace(below >= 260 || below >= above ? { top: r.bottom + 4, left, maxHeight: below } : { bottom: window.innerHeight - r.top + 4, left, maxHeight: above });
  };
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    // The list is position: fixed so no scrolling box (a table, a dialog) clips it; it follows its
    // button when something scrolls or the window resizes.
    const onMove = (e: Event) => {
      if (!(e.target instanceof Node) || !ref.current?.contains(e.target)) placeList();
    };
    document.addEventListener('mousedown', onDown);
    window.addEventListener('scroll', onMove, true);
    window.addEventListener('resize', onMove);
    return () => {
      document.removeEventListener('mousedown', onDown);
      window.removeEventListener('scroll', onMove, true);
      window.removeEventListener('resize', onMove);
    };
  }, [open]);
  const toggleOpen = () => {
    if (!open) placeList();
    setOpen((o) => !o);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && open) {
      e.stopPropagation();
      setOpen(false);
    }
  };
  const toggle = (v: string) => onChange(value.includes(v) ? value.filter((x) => x !== v) : [...value, v]);
  const shown = opts.filter((o) => o.label.toLowerCase().includes(search.toLowerCase()));
  const summary = value.length === 0 ? placeholder : value.length <= 2 ? value.map((v) => opts.find((o) => o.value === v)?.label ?? v).join(', ') : `${value.length} selected`;
  return (
    <div className="multi" ref={ref} onKeyDown={onKey}>
      <button ref={button} type="button" className="multi-button" aria-label={label} aria-expanded={open} aria-controls={listId} disabled={disabled} onClick={toggleOpen} title={summary}>
        <span className={value.length ? '' : 'muted'}>{summary}</span> ▾
      </button>
      {open && (
        <div className="multi-pop" id={listId} role="group" aria-label={`${label} options`} style={place}>
          {opts.length > 8 && <input type="search" aria-label={`Search ${label}`} placeholder="Search…" value={search} onChange={(e) => setSearch(e.target.value)} autoFocus />}
          <div className="multi-options">
            {shown.map((o) => (
              <label key={o.value} className="inline">
                <input type="checkbox" checked={value.includes(o.value)} onChange={() => toggle(o.value)} />
                {o.label}
              </label>
            ))}
            {!shown.length && <span className="muted">No matches</span>}
          </div>
          {value.length > 0 && (
            <button type="button" className="small" onClick={() => onChange([])}>
              Clear
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** Free values typed one at a time (Enter or comma adds one), shown as removable chips. */
export function ChipsInput({ label, value, onChange, placeholder, normalize = (s) => s.trim() }: { label: string; value: string[]; onChange: (v: string[]) => void; placeholder?: string; normalize?: (s: string) => string }) {
  const [text, setText] = useState('');
  const add = () => {
    const v = normalize(text);
    if (v && !value.includes(v)) onChange([...value, v]);
    setText('');
  };
  return (
    <div className="chips">
      {value.map((v) => (
        <span key={v} className="chip">
          {v}
          <button type="button" className="link" aria-label={`Remove ${v}`} onClick={() => onChange(value.filter((x) => x !== v))}>
            ×
          </button>
        </span>
      ))}
      <input
        aria-label={label}
        placeholder={placeholder}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => text.trim() && add()}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ',') {
            e.preventDefault();
            add();
          } else if (e.key === 'Backspace' && !text && value.length) onChange(value.slice(0, -1));
        }}
      />
    </div>
  );
}

/** Copies `text` to the clipboard and says so in a toast. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const toast = useToast();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      toast('success', 'Copied to the clipboard');
    } catch {
      // Clipboard access needs a secure context (https or localhost); fall back to a selection copy.
      const area = document.createElement('textarea');
      area.value = text;
      document.body.appendChild(area);
      area.select();
      const ok = document.execCommand('copy');
      area.remove();
      if (ok) toast('success', 'Copied to the clipboard');
      else toast('error', 'The browser refused to copy; select the text and copy it by hand');
    }
  };
  return (
    <button type="button" className="small" aria-label={label} onClick={() => void copy()}>
      Copy
    </button>
  );
}

/** Header cell that sorts the list: click toggles the order, aria-sort tells which column sorts. */
export function SortHeader<K extends string>({ column, label, sort, order, onSort }: { column: K; label: string; sort: K; order: 'asc' | 'desc'; onSort: (column: K, order: 'asc' | 'desc') => void }) {
  const active = sort === column;
  return (
    <th aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort" onClick={() => onSort(column, active && order === 'desc' ? 'asc' : active ? 'desc' : 'asc')}>
        {label} {active ? (order === 'asc' ? '▲' : '▼') : ''}
      </button>
    </th>
  );
}

/** The loan filters of a distribution group or an agent (grid-form cells): loan purposes and the amount range. */
export function LoanFilterFields({
  purposes,
  setPurposes,
  amountMin,
  setAmountMin,
  amountMax,
  setAmountMax,
}: {
  purposes: string[];
  setPurposes: (v: string[]) => void;
  amountMin: string;
  setAmountMin: (v: string) => void;
  amountMax: string;
  setAmountMax: (v: string) => void;
}) {
  return (
    <>
      <div className="field">
        <span>Loan purposes</span>
        <MultiSelect label="Loan purposes" options={options(LOAN_PURPOSES, humanize)} value={purposes} onChange={setPurposes} placeholder="Any" />
      </div>
      <label>
        Loan amount at least
        <input type="number" min={0} value={amountMin} onChange={(e) => setAmountMin(e.target.value)} placeholder="Any" />
      </label>
      <label>
        Loan amount at most
        <input type="number" min={0} value={amountMax} onChange={(e) => setAmountMax(e.target.value)} placeholder="Any" />
      </label>
    </>
  );
}
