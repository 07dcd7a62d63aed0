// Webhooks (docs/webhooks.md), admins only: subscriptions (URL, events, paused or active, limits),
// the signing secret shown once after creation or rotation, a test delivery, and each
// subscription's delivery log — every attempt with its status or error and latency — with replay
// of one delivery or of every dead-lettered one.
import { Fragment, useEffect, useState } from 'react';
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, WEBHOOK_LIMITS, WebhookDeliveryStatus, WebhookEventType } from '@leadline/domain';
import { api, errorMessage } from '../../api';
import { AsyncView, useAsync } from '../../ui/async';
import { ConfirmDialog, FormDialog } from '../../ui/modal';
import { PagedFooter } from '../../ui/pager';
import { useToast } from '../../ui/toast';
import { CopyButton, formatDateTime, humanize } from './controls';
import './admin.css';
import type { Page, WebhookDeliveryView, WebhookSubscriptionView } from '@leadline/contracts';

/** How often an open delivery log refreshes itself. */
const LOG_REFRESH_MS = 3000;

export function WebhooksPage() {
  const state = useAsync(() => api.get<WebhookSubscriptionView[]>('/webhooks'), []);
  const toast = useToast();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editing, setEditing] = useState<WebhookSubscriptionView | 'new' | null>(null);
  const [deleting, setDeleting] = useState<WebhookSubscriptionView | null>(null);
  const [secret, setSecret] = useState<{ id: string; secret: string } | null>(null);

  const replace = (s: WebhookSubscriptionView) => {
    if (!state.data) return;
    const exists = state.data.some((x) => x.id === s.id);
    state.setData(exists ? state.data.map((x) => (x.id === s.id ? s : x)) : [...state.data, s]);
  };

  const setActive = async (s: WebhookSubscriptionView, active: boolean) => {
    try {
      replace(await api.patch<WebhookSubscriptionView>(`/webhooks/${s.id}`, { active }));
      toast('success', active ? 'Webhook resumed' : 'Webhook paused: new events are not queued for it');
    } catch (err) {
      toast('error', errorMessage(err));
    }
  };

  const remove = async (s: WebhookSubscriptionView) => {
    setDeleting(null);
    try {
      await api.delete(`/webhooks/${s.id}`);
      if (selectedId === s.id) setSelectedId(null);
      toast('success', 'Webhook deleted');
      state.reload();
    } catch (err) {
      toast('error', errorMessage(err));
    }
  };

  return (
    <>
      <div className="page-head">
        <h1>Webhooks</h1>
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          New webhook
        </button>
      </div>
      <p className="muted">Leadline POSTs signed JSON to your CRM or loan origination system when leads and calls change. Failed deliveries are retried for up to a day, then dead-lettered here.</p>
      {secret && (
        <section className="panel notice" aria-label="Signing secret">
          <strong>Signing secret — shown only now.</strong> Store it with your receiver: it verifies the Leadline-Signature header of every delivery.
          <div className="keybox">
            <code data-testid="webhook-secret">{secret.secret}</code>
            <CopyButton text={secret.secret} label="Copy secret" />
            <button type="button" className="small" onClick={() => setSecret(null)}>
              Done
            </button>
          </div>
        </section>
      )}
      <AsyncView state={state}>
        {(subscriptions) => {
          const selected = subscriptions.find((s) => s.id === selectedId) ?? null;
          return (
            <>
              <div className="table-wrap">
                <table className="sticky-actions" aria-label="Webhooks">
                  <thead>
                    <tr>
                      <th>URL</th>
                      <th>Events</th>
                      <th>Status</th>
                      <th>Delivered</th>
                      <th>Pending</th>
                      <th>Dead-lettered</th>
                      <th>
                        <span className="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {subscriptions.map((s) => (
                      <tr key={s.id} aria-selected={s.id === selectedId}>
                        <td>
                          <button type="button" className="link-text" onClick={() => setSelectedId(s.id)}>
                            {s.url}
                          </button>
                          {s.description && <div className="muted">{s.description}</div>}
                        </td>
                        <td>{s.events.join(', ')}</td>
                        <td>{s.active ? 'Active' : <span className="muted">Paused</span>}</td>
                        <td>{s.counts.delivered}</td>
                        <td>{s.counts.pending}</td>
                        <td>{s.counts.dead}</td>
                        <td className="actions-cell">
                          <button type="button" className="small" onClick={() => setSelectedId(s.id)} aria-label={`Deliveries of ${s.url}`}>
                            Deliveries
                          </button>
                          <button type="button" className="small" onClick={() => setEditing(s)} aria-label={`Edit ${s.url}`}>
                            Edit
                          </button>
                          <button type="button" className="small" onClick={() => void setActive(s, !s.active)} aria-label={`${s.active ? 'Pause' : 'Resume'} ${s.url}`}>
                            {s.active ? 'Pause' : 'Resume'}
                          </button>
                          <button type="button" className="small danger" onClick={() => setDeleting(s)} aria-label={`Delete ${s.url}`}>
                            Delete
                          </button>
                        </td>
                      </tr>
                    ))}
                    {!subscriptions.length && (
                      <tr>
                        <td colSpan={7} className="muted">
                          No webhooks yet. Add one to send lead and call events to your CRM.
                        </td>
                      </tr>
                    )}
                  </tbody>
                </table>
              </div>
              {selected && (
                <DeliveryLog
                  key={selected.id}
                  subscription={selected}
                  onChanged={state.reload}
                  onSecret={(s) => {
                    replace(s);
                    if (s.secret) setSecret({ id: s.id, secret: s.secret });
                  }}
                  onClose={() => setSelectedId(null)}
                />
              )}
            </>
          );
        }}
      </AsyncView>
      {editing && (
        <WebhookForm
          subscription={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(s) => {
            replace(s);
            setEditing(null);
            setSelectedId(s.id);
            if (s.secret) setSecret({ id: s.id, secret: s.secret });
            toast('success', 'Webhook saved');
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete webhook"
          text={`Delete the webhook to ${deleting.url}? Its delivery log goes with it, and nothing more is sent there.`}
          confirmLabel="Delete"
          onCancel={() => setDeleting(null)}
          onConfirm={() => void remove(deleting)}
        />
      )}
    </>
  );
}

function WebhookForm({ subscription, onClose, onSaved }: { subscription: WebhookSubscriptionView | null; onClose: () => void; onSaved: (s: WebhookSubscriptionView) => void }) {
  const [url, setUrl] = useState(subscription?.url ?? 'https://');
  const [description, setDescription] = useState(subscription?.description ?? '');
  const [events, setEvents] = useState<WebhookEventType[]>(subscription?.events ?? [...WEBHOOK_EVENT_TYPES]);
  const [maxConcurrency, setMaxConcurrency] = useState(String(subscription?.maxConcurrency ?? WEBHOOK_LIMITS.maxConcurrency.default));
  const [timeoutSeconds, setTimeoutSeconds] = useState(String(subscription?.timeoutSeconds ?? WEBHOOK_LIMITS.timeoutSeconds.default));
  const toggle = (e: WebhookEventType) => setEvents((current) => (current.includes(e) ? current.filter((x) => x !== e) : WEBHOOK_EVENT_TYPES.filter((x) => x === e || current.includes(x))));

  const submit = async () => {
    const body = { url: url.trim(), description: description.trim() || null, events, maxConcurrency: Number(maxConcurrency), timeoutSeconds: Number(timeoutSeconds) };
    onSaved(subscription ? await api.patch<WebhookSubscriptionView>(`/webhooks/${subscription.id}`, body) : await api.post<WebhookSubscriptionView>('/webhooks', body));
  };

  return (
    <FormDialog title={subscription ? 'Edit webhook' : 'New webhook'} submitLabel={subscription ? 'Save' : 'Create webhook'} onSubmit={submit} onClose={onClose}>
      <label>
        URL
        <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} required maxLength={WEBHOOK_LIMITS.urlMaxLength} autoFocus placeholder="https://crm.example.com/hooks/leadline" />
      </label>
      <label style={{ marginTop: '0.75rem' }}>
        Description
        <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={200} placeholder="e.g. Encompass loan files" />
      </label>
      <fieldset style={{ marginTop: '0.75rem' }}>
        <legend>Events</legend>
        {WEBHOOK_EVENT_TYPES.map((e) => (
          <label key={e} className="inline">
            <input type="checkbox" checked={events.includes(e)} onChange={() => toggle(e)} />
            {e}
          </label>
        ))}
      </fieldset>
      <div className="grid-form" style={{ marginTop: '0.75rem' }}>
        <label>
          Requests at once
          <input type="number" min={WEBHOOK_LIMITS.maxConcurrency.min} max={WEBHOOK_LIMITS.maxConcurrency.max} value={maxConcurrency} onChange={(e) => setMaxConcurrency(e.target.value)} required />
        </label>
        <label>
          Timeout (seconds)
          <input type="number" min={WEBHOOK_LIMITS.timeoutSeconds.min} max={WEBHOOK_LIMITS.timeoutSeconds.max} value={timeoutSeconds} onChange={(e) => setTimeoutSeconds(e.target.value)} required />
        </label>
      </div>
    </FormDialog>
  );
}

function DeliveryLog({ subscription, onChanged, onSecret, onClose }: { subscription: WebhookSubscriptionView; onChanged: () => void; onSecret: (s: WebhookSubscriptionView) => void; onClose: () => void }) {
  const toast = useToast();
  const [status, setStatus] = useState<WebhookDeliveryStatus | ''>('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const log = useAsync(() => api.get<Page<WebhookDeliveryView>>(`/webhooks/${subscription.id}/deliveries`, { status, page, pageSize: 50 }), [subscription.id, status, page]);
  const { reload } = log;

  useEffect(() => {
    // The log and the subscriptions' counts follow the deliveries as they go. reload only bumps a
    // counter: the first render's function does it as well as any later one.
    const timer = setInterval(() => {
      reload();
      onChanged();
    }, LOG_REFRESH_MS);
    return () => clearInterval(timer);
  }, [subscription.id, status, page]);

  const act = async (what: string, work: () => Promise<string>) => {
    try {
      toast('success', await work());
      reload();
      onChanged();
    } catch (err) {
      toast('error', `${what}: ${errorMessage(err)}`);
    }
  };

  const sendTest = () => act('Send test', async () => (await api.post<{ deliveryId: string }>(`/webhooks/${subscription.id}/test`), 'Test delivery queued; its result shows below'));
  const replayDead = () => act('Replay', async () => `${(await api.post<{ replayed: number }>(`/webhooks/${subscription.id}/deliveries/replay-dead`)).replayed} dead-lettered deliveries queued again`);
  const replay = (d: WebhookDeliveryView) => act('Replay', async () => (await api.post(`/webhooks/${subscription.id}/deliveries/${d.id}/replay`), `Delivery of ${d.eventType} queued again`));
  const rotate = async () => {
    setConfirmRotate(false);
    try {
      onSecret(await api.post<WebhookSubscriptionView>(`/webhooks/${subscription.id}/rotate-secret`));
      toast('success', 'New secret issued; the previous one also signs for 24 hours');
    } catch (err) {
      toast('error', errorMessage(err));
    }
  };

  return (
    <section className="panel" aria-label="Delivery log">
      <div className="page-head">
        <h2>Deliveries to {subscription.url}</h2>
        <button type="button" className="link" aria-label="Close delivery log" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="row" style={{ alignItems: 'center' }}>
        <button type="button" onClick={() => void sendTest()}>
          Send test
        </button>
        <button type="button" onClick={() => void replayDead()} disabled={!subscription.counts.dead}>
          Replay all dead-lettered ({subscription.counts.dead})
        </button>
        <button type="button" className="danger" onClick={() => setConfirmRotate(true)}>
          Rotate secret
        </button>
        <label className="inline">
          Status
          <select
            aria-label="Delivery status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as WebhookDeliveryStatus | '');
              setPage(1);
            }}
          >
            <option value="">All</option>
            {WEBHOOK_DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s === 'dead' ? 'Dead-lettered' : humanize(s)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <AsyncView state={log}>
        {(data) => (
          <>
            <div className="table-wrap">
              <table aria-label="Deliveries">
                <thead>
                  <tr>
                    <th>Created</th>
                    <th>Event</th>
                    <th>Lead</th>
                    <th>Status</th>
                    <th>Attempts</th>
                    <th>Last answer</th>
                    <th>Latency</th>
                    <th>Next attempt</th>
                    <th>
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((d) => (
                    <Fragment key={d.id}>
                      <tr data-delivery={d.id}>
                        <td className="nowrap">{formatDateTime(d.createdAt)}</td>
                        <td>
                          <button type="button" className="link-text" aria-expanded={open === d.id} onClick={() => setOpen(open === d.id ? null : d.id)}>
                            {d.eventType}
                          </button>
                          <div className="muted" title="Event id (the same on every attempt and replay)">
                            {d.eventId}
                          </div>
                        </td>
                        <td className="muted">{d.prospectId ?? '—'}</td>
                        <td data-testid="delivery-status">{d.status === 'dead' ? 'Dead-lettered' : humanize(d.status)}</td>
                        <td>{d.attempts}</td>
                        <td>{answerOf(d.lastStatusCode, d.lastError)}</td>
                        <td className="nowrap">{d.lastLatencyMs === null ? '' : `${d.lastLatencyMs} ms`}</td>
                        <td className="nowrap">{formatDateTime(d.nextAttemptAt)}</td>
                        <td className="actions-cell">
                          {d.status !== 'pending' && (
                            <button type="button" className="small" onClick={() => void replay(d)} aria-label={`Replay ${d.eventType} ${d.eventId}`}>
                              Replay
                            </button>
                          )}
                        </td>
                      </tr>
                      {open === d.id && (
                        <tr>
                          <td colSpan={9}>
                            <table aria-label={`Attempts of ${d.eventId}`}>
                              <thead>
                                <tr>
                                  <th>#</th>
                                  <th>Sent</th>
                                  <th>Answer</th>
                                  <th>Latency</th>
                                  <th>Sent by</th>
                                </tr>
                              </thead>
                              <tbody>
                                {d.attemptLog.map((a) => (
                                  <tr key={a.attempt}>
                                    <td>{a.attempt}</td>
                                    <td className="nowrap">{formatDateTime(a.startedAt)}</td>
                                    <td>{answerOf(a.statusCode, a.error)}</td>
                                    <td className="nowrap">{a.latencyMs} ms</td>
                                    <td className="muted">{a.sentBy}</td>
                                  </tr>
                                ))}
                                {!d.attemptLog.length && (
                                  <tr>
                                    <td colSpan={5} className="muted">
                                      Not tried yet.
                                    </td>
                                  </tr>
                                )}
                              </tbody>
                            </table>
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  ))}
                  {!data.items.length && (
                    <tr>
                      <td colSpan={9} className="muted">
                        Nothing delivered yet. Events appear here as leads and calls happen; “Send test” sends one now.
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
            <PagedFooter data={data} onPage={setPage} />
          </>
        )}
      </AsyncView>
      {confirmRotate && (
        <ConfirmDialog
          title="Rotate secret"
          text="Issue a new signing secret? Deliveries carry signatures with both the new and the previous secret for 24 hours, so your receiver can switch over."
          confirmLabel="Rotate secret"
          onCancel={() => setConfirmRotate(false)}
          onConfirm={() => void rotate()}
        />
      )}
    </section>
  );
}

/** "200", "503", or the error of an attempt that got no answer. */
function answerOf(statusCode: number | null, error: string | null): string {
  if (statusCode !== null && !error) return String(statusCode);
  return error ?? (statusCode !== null ? String(statusCode) : '');
}
