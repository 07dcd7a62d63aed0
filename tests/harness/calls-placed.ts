// Watches, inside a test server, when its calls send their originates and when the StasisRouter
// tells each channel's owner that Asterisk placed its call (the `dialing` event), on the server's
// own clock: what follows those moments (rows, popups, presence) can be checked against them.
import type { INestApplication } from '@nestjs/common';
import { AriLink } from '../../apps/server/src/telephony/ari/ari-link';
import { CallEvent, StasisRouter } from '../../apps/server/src/telephony/stasis-router';

export interface CallsPlacedWatch {
  /** Channel id → when each of its `dialing` events was delivered (Date.now()). */
  placedAt: Map<string, number[]>;
  /**
   * The moment a call's work after its originates is due: its last `dialing` event, or `maxWaitMs`
   * after the first originate since the watch began, whichever came first.
   */
  dueAt(maxWaitMs: number): number;
  stop(): void;
}

export function watchCallsPlaced(app: INestApplication): CallsPlacedWatch {
  const channels = app.get(AriLink).channels;
  const originate = channels.originate.bind(channels);
  let firstOriginateAt = Infinity;
  const originates = jest.spyOn(channels, 'originate').mockImplementation((request) => {
    firstOriginateAt = Math.min(firstOriginateAt, Date.now());
    return originate(request);
  });
  const router = app.get(StasisRouter) as unknown as { deliver(id: string, event: CallEvent): void };
  const deliver = router.deliver.bind(router);
  const placedAt = new Map<string, number[]>();
  const deliveries = jest.spyOn(router, 'deliver').mockImplementation((id, event) => {
    if (event.type === 'dialing') placedAt.set(id, [...(placedAt.get(id) ?? []), Date.now()]);
    deliver(id, event);
  });
  return {
    placedAt,
    dueAt: (maxWaitMs) => Math.min(Math.max(...[...placedAt.values()].flat()), firstOriginateAt + maxWaitMs),
    stop() {
      deliveries.mockRestore();
      originates.mockRestore();
    },
  };
}
