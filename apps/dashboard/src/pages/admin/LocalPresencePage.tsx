// Local Dial Presence (PRODUCT.md §4, docs/local-presence.md): the org's numbers with their area
// codes; purchase by area code (green toast, or a warning toast when the inventory has none free),
// map more area codes, delete mappings and numbers; the carrier inventory's free counts.
import { FormEvent, useState } from 'react';
import { ApiError, api, errorMessage } from '../../api';
import { useMe } from '../../auth';
import { AsyncView, ErrorBanner, useAsync } from '../../ui/async';
import { ConfirmDialog } from '../../ui/modal';
import { useToast } from '../../ui/toast';
import { formatDateTime } from './controls';
import './admin.css';
import type { InventoryView, LocalPresenceNumberView } from '@leadline/contracts';

interface Data {
  numbers: LocalPresenceNumberView[];
  inventory: InventoryView;
}

const load = async (): Promise<Data> => {
  const [numbers, inventory] = await Promise.all([api.get<LocalPresenceNumberView[]>('/local-presence/numbers'), api.get<InventoryView>('/local-presence/inventory')]);
  return { numbers, inventory };
};

/** "737, 830 214" → ['737', '830', '214']. */
const areaCodesOf = (text: string) => text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);

export function LocalPresencePage() {
  const isAdmin = useMe().role === 'admin';
  const toast = useToast();
  const state = useAsync(load, []);
  const [areaCode, setAreaCode] = useState('');
  const [purchasing, setPurchasing] = useState(false);
  const [deleting, setDeleting] = useState<LocalPresenceNumberView | null>(null);

  const purchase = async (e: FormEvent) => {
    e.preventDefault();
    setPurchasing(true);
    try {
      const bought = await api.post<LocalPresenceNumberView>('/local-presence/numbers/purchase', { areaCode: areaCode.trim() });
      toast('success', `Purchased ${bought.number} for area code ${bought.areaCodes.join(', ')}`);
      setAreaCode('');
      state.reload();
    } catch (err) {
      // None free is not a failure of the request: the inventory is empty for that area code.
      if (err instanceof ApiError && err.code === 'NO_NUMBER_AVAILABLE') toast('warning', err.message);
      else toast('error', errorMessage(err));
    } finally {
      setPurchasing(false);
    }
  };

  const deleteNumber = async (n: LocalPresenceNumberView) => {
    setDeleting(null);
    try {
      await api.delete(`/local-presence/numbers/${n.id}`);
      toast('success', `${n.number} deleted and given back to the carrier inventory`);
      state.reload();
    } catch (err) {
      toast('error', errorMessage(err));
    }
  };

  return (
    <>
      <h1>Local dial presence</h1>
      <p className="muted">A borrower sees the number mapped to their area code; else the agent’s caller ID; else the org number.</p>
      {isAdmin && (
        <form className="panel row" onSubmit={(e) => void purchase(e)} aria-label="Purchase a number">
          <label>
            Area code
            <input value={areaCode} onChange={(e) => setAreaCode(e.target.value)} inputMode="numeric" pattern="[0-9]{3}" maxLength={3} placeholder="512" required title="Three digits, e.g. 512" />
          </label>
          <button type="submit" className="primary" disabled={purchasing}>
            {purchasing ? 'Purchasing…' : 'Purchase number'}
          </button>
        </form>
      )}
      <AsyncView state={state}>
        {({ numbers, inventory }) => (
          <>
            <div className="table-wrap">
              <table className={isAdmin ? 'sticky-actions' : undefined} aria-label="Local dial presence numbers">
                <thead>
                  <tr>
                    <th>Number</th>
                    <th>Area codes</th>
                    <th>Purchased</th>
                    {isAdmin && <th>Actions</th>}
                  </tr>
                </thead>
                <tbody>
                  {numbers.map((n) => (
                    <NumberRow key={n.id} number={n} isAdmin={isAdmin} onChanged={state.reload} onDelete={() => setDeleting(n)} />
                  ))}
                  {!numbers.length && (
                    <tr>
                      <td colSpan={4} className="muted">
                        No numbers yet.{isAdmin ? ' Purchase one by area code above.' : ''}
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
            <InventoryPanel inventory={inventory} isAdmin={isAdmin} onLoaded={state.reload} />
          </>
        )}
      </AsyncView>
      {deleting && (
        <ConfirmDialog
          title="Delete number"
          text={`Delete ${deleting.number} and its ${deleting.mappings.length} area code mapping(s)? It goes back to the carrier inventory.`}
          confirmLabel="Delete"
          onCancel={() => setDeleting(null)}
          onConfirm={() => void deleteNumber(deleting)}
        />
      )}
    </>
  );
}

function NumberRow({ number, isAdmin, onChanged, onDelete }: { number: LocalPresenceNumberView; isAdmin: boolean; onChanged: () => void; onDelete: () => void }) {
  const toast = useToast();
  const [codes, setCodes] = useState('');
  const [error, setError] = useState<unknown>(null);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.post(`/local-presence/numbers/${number.id}/mappings`, { areaCodes: areaCodesOf(codes) });
      toast('success', `Mapped ${areaCodesOf(codes).join(', ')} to ${number.number}`);
      setCodes('');
      setError(null);
      onChanged();
    } catch (err) {
      setError(err);
    }
  };

  const removeMapping = async (m: { id: string; areaCode: string }) => {
    try {
      await api.delete(`/local-presence/mappings?ids=${encodeURIComponent(m.id)}`);
      toast('success', `Area code ${m.areaCode} no longer mapped to ${number.number}`);
      onChanged();
    } catch (err) {
      toast('error', errorMessage(err));
    }
  };

  return (
    <tr>
      <td className="mono nowrap">{number.number}</td>
      <td>
        <div className="mapping-list">
          {number.mappings.map((m) => (
            <span key={m.id} className="chip">
              {m.areaCode}
              {isAdmin && (
                <button type="button" className="link" aria-label={`Remove area code ${m.areaCode} from ${number.number}`} onClick={() => void removeMapping(m)}>
                  ×
                </button>
              )}
            </span>
          ))}
          {!number.mappings.length && <span className="muted">not mapped: not used as a caller ID</span>}
        </div>
        {isAdmin && (
          <form className="inline-form" style={{ marginTop: '0.4rem' }} onSubmit={(e) => void add(e)}>
            <input aria-label={`Area codes to map to ${number.number}`} placeholder="737, 830" value={codes} onChange={(e) => setCodes(e.target.value)} required />
            <button type="submit" className="small">
              Add mapping
            </button>
          </form>
        )}
        <ErrorBanner error={error} />
      </td>
      <td className="nowrap">{formatDateTime(number.createdAt)}</td>
      {isAdmin && (
        <td>
          <button type="button" className="small danger" onClick={onDelete} aria-label={`Delete ${number.number}`}>
            Delete
          </button>
        </td>
      )}
    </tr>
  );
}

function InventoryPanel({ inventory, isAdmin, onLoaded }: { inventory: InventoryView; isAdmin: boolean; onLoaded: () => void }) {
  const toast = useToast();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const upload = async (e: FormEvent) => {
    e.preventDefault();
    setLoading(true);
    try {
      // A string body goes as text/csv: one number per line.
      const res = await api.post<{ added: number; alreadyPresent: number }>('/local-presence/inventory', text);
      toast('success', `${res.added} number(s) added to the inventory${res.alreadyPresent ? `, ${res.alreadyPresent} already there` : ''}`);
      setText('');
      setError(null);
      onLoaded();
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  return (
    <section className="panel" style={{ marginTop: '1rem' }} aria-label="Carrier inventory">
      <h2>Carrier inventory</h2>
      <p className="muted">
        {inventory.free} free · {inventory.assigned} in use
        {inventory.areaCodes.length > 0 && ` · free by area code: ${inventory.areaCodes.map((a) => `${a.areaCode} (${a.free})`).join(', ')}`}
      </p>
      {isAdmin && (
        <form onSubmit={(e) => void upload(e)}>
          <ErrorBanner error={error} />
          <label>
            Load numbers from your carrier (one per line)
            <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} placeholder={'+15125550101\n(512) 555-0102'} required />
          </label>
          <div className="actions">
            <button type="submit" disabled={loading}>
              {loading ? 'Loading…' : 'Load numbers'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
