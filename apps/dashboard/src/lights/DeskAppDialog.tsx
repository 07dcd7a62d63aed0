// The desk app dialog: download the leadline-desk package this server offers, create a device token
// for it (shown once, with the config file to paste it into), and revoke old ones.
import type { DeskPackageView, DeviceView } from '@leadline/contracts';
import { FormEvent, useState } from 'react';
import { api, ApiError, tokenStore } from '../api';
import { AsyncView, ErrorBanner, useAsync } from '../ui/async';
import { Modal } from '../ui/modal';
import { formatDateTime } from '../pages/agent/format';

const CONFIG_FILES = [
  ['Windows', '%APPDATA%\\leadline\\desk.json'],
  ['macOS', '~/Library/Application Support/leadline/desk.json'],
  ['Linux', '~/.config/leadline/desk.json'],
] as const;

export function DeskAppDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Desk app" onClose={onClose}>
      <p>
        <strong>leadline-desk</strong> runs on your PC and shows your presence on the USB BusyLight at your desk, with or without a browser open. It needs Node.js 20 or later.
      </p>
      <PackageDownload />
      <DeviceTokens />
    </Modal>
  );
}

function PackageDownload() {
  const pkg = useAsync(() => api.get<DeskPackageView>('/desk-package'), []);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  // A link cannot send the Authorization header: fetch the file, then save it from memory.
  async function download(view: DeskPackageView) {
    setSaving(true);
    setError(null);
    try {
      const token = tokenStore.get();
      const res = await fetch(view.downloadUrl, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      if (!res.ok) throw new ApiError(res.status, `The server answered ${res.status} to the download`);
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = view.fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  }

  if (pkg.error instanceof ApiError && pkg.error.status === 404) {
    return (
      <section aria-label="Download">
        <h3>1. Download</h3>
        <p className="muted">This server has no desk app package yet: ask your IT team to build it (npm run build).</p>
      </section>
    );
  }
  return (
    <section aria-label="Download">
      <h3>1. Download</h3>
      <AsyncView state={pkg}>
        {(view) => (
          <>
            <p>
              <button type="button" className="primary" disabled={saving} onClick={() => void download(view)}>
                {saving ? 'Downloading…' : `Download ${view.fileName}`}
              </button>{' '}
              <span className="muted small">{Math.ceil(view.size / 1024)} KiB</span>
            </p>
            <p className="small muted">
              SHA-256 <code className="break">{view.sha256}</code>
            </p>
            <ErrorBanner error={error} />
            <h3>2. Install</h3>
            <p>
              In a terminal, in the folder you saved it to: <code>npm install -g ./{view.fileName}</code>, then <code>leadline-desk --list</code> to see your light and{' '}
              <code>leadline-desk --test</code> to cycle it. To start it at sign-in (a startup task on Windows, a launchd agent on macOS, a systemd user unit on Linux), follow the
              README.md inside the package.
            </p>
          </>
        )}
      </AsyncView>
    </section>
  );
}

function DeviceTokens() {
  const devices = useAsync(() => api.get<DeviceView[]>('/me/devices'), []);
  const [name, setName] = useState('Desk PC');
  const [created, setCreated] = useState<DeviceView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      setCreated(await api.post<DeviceView>('/me/devices', { name: name.trim() }));
      devices.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function revoke(id: string) {
    setError(null);
    try {
      await api.delete(`/me/devices/${id}`);
      setConfirming(null);
      if (created?.id === id) setCreated(null);
      devices.reload();
    } catch (err) {
      setError(err);
    }
  }

  const config = created && JSON.stringify({ server: window.location.origin, token: created.token }, null, 2);
  return (
    <section aria-label="Device tokens">
      <h3>3. Connect it to your account</h3>
      <p>The desk app signs in with a device token of its own, which only ever receives your presence.</p>
      <form className="row" onSubmit={(e) => void create(e)}>
        <label>
          Device name
          <input value={name} maxLength={100} required onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" disabled={!name.trim()}>
          Create device token
        </button>
      </form>
      <ErrorBanner error={error} />
      {created && config && (
        <div className="token-once" role="region" aria-label="New device token">
          <p>
            Save this as the desk app's config file; the token is shown <strong>only now</strong>.
          </p>
          <pre className="mono" data-testid="desk-config">
            {config}
          </pre>
          <ul className="small">
            {CONFIG_FILES.map(([os, file]) => (
              <li key={os}>
                {os}: <code>{file}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      <AsyncView state={devices}>
        {(list) =>
          list.length ? (
            <table aria-label="My device tokens">
              <thead>
                <tr>
                  <th>Device</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((d) => (
                  <tr key={d.id}>
                    <td>{d.name}</td>
                    <td>{formatDateTime(d.createdAt)}</td>
                    <td>{d.lastUsedAt ? formatDateTime(d.lastUsedAt) : 'never'}</td>
                    <td className="nowrap">
                      {confirming === d.id ? (
                        <>
                          <button type="button" className="danger" onClick={() => void revoke(d.id)}>
                            Revoke {d.name}
                          </button>{' '}
                          <button type="button" onClick={() => setConfirming(null)}>
                            Keep
                          </button>
                        </>
                      ) : (
                        <button type="button" onClick={() => setConfirming(d.id)}>
                          Revoke…
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted small">No device tokens yet.</p>
          )
        }
      </AsyncView>
    </section>
  );
}
