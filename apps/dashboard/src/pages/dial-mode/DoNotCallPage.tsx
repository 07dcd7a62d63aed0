// The org's do-not-call list (admin, manager): search, add, delete, and CSV import with the rows
// the server refused shown by line. Dial mode never dials a number on this list.
import { FormEvent, useEffect, useState } from 'react';
import { api, errorMessage } from '../../api';
import { AsyncView, ErrorBanner, useAsync } from '../../ui/async';
import { ConfirmDialog } from '../../ui/modal';
import { PagedFooter, useStepBackPastEnd } from '../../ui/pager';
import { CsvImportForm, CsvImportOutcome } from '../../ui/csv-import';
import { useToast } from '../../ui/toast';
import { formatWhen } from './dial-types';
import './dial-mode.css';
import type { DoNotCallImportView, DoNotCallView, Page } from '@leadline/contracts';

const PAGE_SIZE = 25;
const SOURCES: Record<string, string> = { manual: 'Added by hand', csv: 'CSV import', operator: 'Operator (Do not call button)' };

export function DoNotCallPage() {
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const state = useAsync(() => api.get<Page<DoNotCallView>>('/dial-mode/do-not-call', { phone: search.replace(/\D/g, ''), page, pageSize: PAGE_SIZE }), [search, page]);
  const [deleting, setDeleting] = useState<DoNotCallView | null>(null);
  const toast = useToast();

  useEffect(() => setPage(1), [search]);
  useStepBackPastEnd(state.data, page, setPage);

  async function remove(entry: DoNotCallView) {
    setDeleting(null);
    try {
      await api.delete(`/dial-mode/do-not-call/${entry.id}`);
      toast('success', `${entry.phone} removed from the do-not-call list`);
    } catch (err) {
      toast('error', `Could not remove ${entry.phone}: ${errorMessage(err)}`);
    }
    state.reload();
  }

  return (
    <div>
      <h1>Do-not-call list</h1>
      <div className="dial-two">
        <AddNumber onAdded={state.reload} />
        <ImportCsv onImported={state.reload} />
      </div>
      <div className="row dial-filters">
        <label>
          Search by number
          <input type="search" value={search} placeholder="Digits, e.g. 512555" onChange={(e) => setSearch(e.target.value)} />
        </label>
      </div>
      <AsyncView state={state}>
        {(data) =>
          data.total === 0 ? (
            <p className="muted">{search ? 'No listed number contains these digits.' : 'The do-not-call list is empty.'}</p>
          ) : (
            <>
              <div className="table-wrap" aria-busy={state.loading}>
                <table aria-label="Do-not-call numbers">
                  <thead>
                    <tr>
                      <th scope="col">Number</th>
                      <th scope="col">Source</th>
                      <th scope="col">Note</th>
                      <th scope="col">Added</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((d) => (
                      <tr key={d.id}>
                        <td className="mono nowrap">{d.phone}</td>
                        <td>{SOURCES[d.source] ?? d.source}</td>
                        <td>{d.note ?? '—'}</td>
                        <td className="nowrap">{formatWhen(d.createdAt)}</td>
                        <td>
                          <button type="button" className="danger" aria-label={`Delete ${d.phone}`} onClick={() => setDeleting(d)}>
                            Delete
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <PagedFooter data={data} onPage={setPage} />
            </>
          )
        }
      </AsyncView>
      {deleting && (
        <ConfirmDialog
          title="Remove number"
          text={`Remove ${deleting.phone} from the do-not-call list? Dial mode may dial it again.`}
          confirmLabel="Remove"
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(null)}
        />
      )}
    </div>
  );
}

function AddNumber({ onAdded }: { onAdded: () => void }) {
  const toast = useToast();
  const [phone, setPhone] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function add(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const added = await api.post<DoNotCallView>('/dial-mode/do-not-call', note ? { phone, note } : { phone });
      toast('success', `${added.phone} added to the do-not-call list`);
      setPhone('');
      setNote('');
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" aria-label="Add a number" onSubmit={(e) => void add(e)}>
      <h2>Add a number</h2>
      <div className="row">
        <label>
          Phone number
          <input required value={phone} maxLength={40} onChange={(e) => setPhone(e.target.value)} />
        </label>
        <label>
          Note
          <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          Add
        </button>
      </div>
      <ErrorBanner error={error} />
    </form>
  );
}

function ImportCsv({ onImported }: { onImported: () => void }) {
  const upload = async (text: string, fileName: string): Promise<CsvImportOutcome> => {
    const answer = await api.post<DoNotCallImportView>('/dial-mode/do-not-call/import', text);
    onImported();
    return {
      summary: (
        <>
          <strong>{answer.added}</strong> added · <strong>{answer.alreadyListed}</strong> already listed · <strong>{answer.errors.length}</strong> rejected
        </>
      ),
      toast: `Imported ${fileName}: ${answer.added} added, ${answer.alreadyListed} already listed, ${answer.errors.length} rejected`,
      rejected: answer.errors,
    };
  };
  return <CsvImportForm title="Import a CSV" hint="A header row with a phone column (phone, number, phone_number, telephone) and optionally a note column, or one number per line." valueLabel="Value" upload={upload} />;
}
