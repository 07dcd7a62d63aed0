// The light card next to the agent's presence: which BusyLights this tab drives and what they show,
// a button for the browser's device picker, and the desk app for browsers without WebHID.
import { useState } from 'react';
import { DeskAppDialog } from './DeskAppDialog';
import { lightWords } from './light-words';
import { useTabLights } from './tab-lights';

export function DeskLightPanel() {
  const { support, driver, lights, showing, problem, connect, forget } = useTabLights();
  const [deskApp, setDeskApp] = useState(false);
  const shown = lightWords(showing);

  return (
    <section className="panel desk-light" aria-label="Desk light">
      <h2>Desk light</h2>
      {support === 'missing' ? (
        <p role="note">
          This browser cannot drive a USB BusyLight (that needs WebHID: Chrome or Edge on a computer). Install the desk app on this PC instead; it shows your presence on the
          light whether a browser is open or not.
        </p>
      ) : support === 'insecure' ? (
        <p role="note">
          The browser drives a USB BusyLight only for a dashboard opened over https://. Ask your IT team to serve Leadline over HTTPS, or install the desk app on this PC.
        </p>
      ) : driver === 'other-tab' ? (
        <p role="note">Another Leadline tab in this browser drives your light; it moves here when that tab closes.</p>
      ) : driver === 'starting' ? (
        <p className="muted">Looking for your light…</p>
      ) : (
        <>
          {lights.length ? (
            <ul className="desk-lights" aria-label="Connected lights">
              {lights.map((l) => (
                <li key={l.id}>
                  <span className={`light ${shown.swatch}${shown.blink ? ' blink' : ''}`} aria-hidden="true" />
                  <span>{l.model}</span>
                  <button type="button" className="small-button" onClick={() => void forget(l.id)}>
                    Disconnect
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No light connected to this tab. Chrome remembers a light once you connect it.</p>
          )}
          <p role="status" aria-label="Light shows" data-showing={shown.words}>
            {lights.length ? `Showing ${shown.words}.` : `Would show ${shown.words}.`}
          </p>
          <button type="button" onClick={() => void connect()}>
            Connect a light…
          </button>
        </>
      )}
      {problem && (
        <p className="desk-light-problem" role="alert">
          {problem}
        </p>
      )}
      <p className="small muted">
        {support === 'available' ? 'The light follows you while this tab is open. ' : ''}
        <button type="button" className="text-button" onClick={() => setDeskApp(true)}>
          Desk app (Windows, macOS, Linux)
        </button>
      </p>
      {deskApp && <DeskAppDialog onClose={() => setDeskApp(false)} />}
    </section>
  );
}
