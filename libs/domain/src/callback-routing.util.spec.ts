import { CallbackAgent, routeCallback } from './callback-routing.util';

const available: CallbackAgent = { id: 'A1', loggedIn: true, callsOn: true, onCall: false, reachable: true };
const caller = '+15125550142';

describe('routeCallback', () => {
  it.each([
    ['the last caller is available', { didIsLocalPresence: true, callerE164: caller, lastCaller: available }, { kind: 'last_caller', agentId: 'A1' }],
    ['not a local presence number', { didIsLocalPresence: false, callerE164: caller, lastCaller: available }, { kind: 'inbound_routing', reason: 'not_local_presence' }],
    ['blocked caller ID', { didIsLocalPresence: true, callerE164: null, lastCaller: available }, { kind: 'inbound_routing', reason: 'anonymous_caller' }],
    ['nobody ever called the borrower', { didIsLocalPresence: true, callerE164: caller, lastCaller: null }, { kind: 'inbound_routing', reason: 'never_called' }],
    ['last caller logged out', { didIsLocalPresence: true, callerE164: caller, lastCaller: { ...available, loggedIn: false } }, { kind: 'inbound_routing', reason: 'last_caller_unavailable' }],
    ['last caller has calls off', { didIsLocalPresence: true, callerE164: caller, lastCaller: { ...available, callsOn: false } }, { kind: 'inbound_routing', reason: 'last_caller_unavailable' }],
    ['last caller on a call', { didIsLocalPresence: true, callerE164: caller, lastCaller: { ...available, onCall: true } }, { kind: 'inbound_routing', reason: 'last_caller_unavailable' }],
    ['last caller has no work phone', { didIsLocalPresence: true, callerE164: caller, lastCaller: { ...available, reachable: false } }, { kind: 'inbound_routing', reason: 'last_caller_unavailable' }],
  ])('%s', (_name, input, expected) => expect(routeCallback(input)).toEqual(expected));
});
