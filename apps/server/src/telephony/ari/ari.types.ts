// The subset of Asterisk's ARI data model (Asterisk 22) that Leadline uses.
// Field names follow Asterisk's own JSON (rest-api/api-docs/*.json).

export interface AriCallerId {
  name: string;
  number: string;
}

export type AriChannelState =
  | 'Down' | 'Rsrved' | 'OffHook' | 'Dialing' | 'Ring' | 'Ringing' | 'Up' | 'Busy' | 'Dialing Offhook' | 'Pre-ring' | 'Unknown';

export interface AriChannel {
  id: string;
  name: string;
  /** PJSIP: the SIP Call-ID of the channel's dialog (Asterisk 22). */
  protocol_id?: string;
  state: AriChannelState;
  caller: AriCallerId;
  connected: AriCallerId;
  accountcode: string;
  dialplan: { context: string; exten: string; priority: number; app_name?: string; app_data?: string };
  creationtime: string;
  language: string;
}

export interface AriBridge {
  id: string;
  technology: string;
  bridge_type: string;
  bridge_class: string;
  channels: string[];
  name: string;
}

export interface AriPlayback {
  id: string;
  media_uri: string;
  target_uri: string;
  state: 'queued' | 'playing' | 'continuing' | 'done' | 'failed';
}

export interface AriLiveRecording {
  name: string;
  format: string;
  state: 'queued' | 'recording' | 'paused' | 'done' | 'failed' | 'canceled';
  target_uri: string;
  duration?: number;
  cause?: string;
}

export interface AriApplication {
  name: string;
  channel_ids: string[];
  bridge_ids: string[];
  endpoint_ids: string[];
}

export interface AriAsteriskInfo {
  system?: { version: string; entity_id: string };
}

interface AriEventBase {
  application: string;
  timestamp: string;
  asterisk_id?: string;
}

export interface StasisStartEvent extends AriEventBase { type: 'StasisStart'; args: string[]; channel: AriChannel; replace_channel?: AriChannel }
export interface StasisEndEvent extends AriEventBase { type: 'StasisEnd'; channel: AriChannel }
export interface ChannelDtmfReceivedEvent extends AriEventBase { type: 'ChannelDtmfReceived'; digit: string; duration_ms: number; channel: AriChannel }
export interface ChannelStateChangeEvent extends AriEventBase { type: 'ChannelStateChange'; channel: AriChannel }
export interface ChannelDestroyedEvent extends AriEventBase { type: 'ChannelDestroyed'; cause: number; cause_txt: string; channel: AriChannel }
/** For a soft hang-up (soft: true) `cause` holds Asterisk's AST_SOFTHANGUP_* flags, not a Q.850 cause. */
export interface ChannelHangupRequestEvent extends AriEventBase { type: 'ChannelHangupRequest'; cause?: number; soft?: boolean; channel: AriChannel }

/** AST_SOFTHANGUP_SHUTDOWN (include/asterisk/channel.h): Asterisk is stopping or restarting. */
const SOFTHANGUP_SHUTDOWN = 1 << 2;

/**
 * Whether Asterisk hangs the channel up because it is shutting down. (Asterisk 22 ends a call the
 * far end hung up with cause 0 too, so ChannelDestroyed's cause cannot tell the two apart.)
 */
export function isShutdownHangup(e: ChannelHangupRequestEvent): boolean {
  return e.soft === true && typeof e.cause === 'number' && (e.cause & SOFTHANGUP_SHUTDOWN) !== 0;
}
export interface DialEvent extends AriEventBase { type: 'Dial'; dialstatus: string; peer: AriChannel; caller?: AriChannel; forward?: string }
export interface PlaybackStartedEvent extends AriEventBase { type: 'PlaybackStarted'; playback: AriPlayback }
export interface PlaybackFinishedEvent extends AriEventBase { type: 'PlaybackFinished'; playback: AriPlayback }
export interface RecordingStartedEvent extends AriEventBase { type: 'RecordingStarted'; recording: AriLiveRecording }
export interface RecordingFinishedEvent extends AriEventBase { type: 'RecordingFinished'; recording: AriLiveRecording }
export interface RecordingFailedEvent extends AriEventBase { type: 'RecordingFailed'; recording: AriLiveRecording }
export interface ChannelEnteredBridgeEvent extends AriEventBase { type: 'ChannelEnteredBridge'; bridge: AriBridge; channel: AriChannel }
export interface ChannelLeftBridgeEvent extends AriEventBase { type: 'ChannelLeftBridge'; bridge: AriBridge; channel: AriChannel }
export interface BridgeDestroyedEvent extends AriEventBase { type: 'BridgeDestroyed'; bridge: AriBridge }
export interface ApplicationReplacedEvent extends AriEventBase { type: 'ApplicationReplaced' }
/** A phone put its side of the call on hold (re-INVITE with sendonly / inactive media). */
export interface ChannelHoldEvent extends AriEventBase { type: 'ChannelHold'; channel: AriChannel; musicclass?: string }
export interface ChannelUnholdEvent extends AriEventBase { type: 'ChannelUnhold'; channel: AriChannel }
/**
 * A phone sent REFER on a channel whose PJSIP_TRANSFER_HANDLING is "ari-only" (Asterisk 22.3+):
 * the app carries the transfer out and reports progress with POST /channels/{id}/transfer_progress.
 * Asterisk repeats the event, with `state`, for every progress the app reports.
 */
export interface ChannelTransferEvent extends AriEventBase {
  type: 'ChannelTransfer';
  state?: string;
  refer_to: {
    requested_destination: { destination?: string; protocol_id?: string; additional_protocol_params?: { parameter_name: string; parameter_value: string }[] };
    /** Attended transfer: the channel of the dialog the Replaces names, when Asterisk found it. */
    destination_channel?: AriChannel;
    connected_channel?: AriChannel;
    bridge?: AriBridge;
  };
  referred_by: { source_channel: AriChannel; connected_channel?: AriChannel; bridge?: AriBridge };
}

export type AriEvent =
  | StasisStartEvent
  | StasisEndEvent
  | ChannelDtmfReceivedEvent
  | ChannelStateChangeEvent
  | ChannelDestroyedEvent
  | ChannelHangupRequestEvent
  | DialEvent
  | PlaybackStartedEvent
  | PlaybackFinishedEvent
  | RecordingStartedEvent
  | RecordingFinishedEvent
  | RecordingFailedEvent
  | ChannelEnteredBridgeEvent
  | ChannelLeftBridgeEvent
  | BridgeDestroyedEvent
  | ApplicationReplacedEvent
  | ChannelHoldEvent
  | ChannelUnholdEvent
  | ChannelTransferEvent;

export type AriEventType = AriEvent['type'];
export type AriEventOf<T extends AriEventType> = Extract<AriEvent, { type: T }>;

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set<AriEventType>([
  'StasisStart', 'StasisEnd', 'ChannelDtmfReceived', 'ChannelStateChange', 'ChannelDestroyed',
  'ChannelHangupRequest', 'Dial', 'PlaybackStarted', 'PlaybackFinished', 'RecordingStarted',
  'RecordingFinished', 'RecordingFailed', 'ChannelEnteredBridge', 'ChannelLeftBridge',
  'BridgeDestroyed', 'ApplicationReplaced', 'ChannelHold', 'ChannelUnhold', 'ChannelTransfer',
]);

/** Narrows a websocket message to an event Leadline handles; other event types are ignored. */
export function asKnownAriEvent(message: unknown): AriEvent | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const type = (message as { type?: unknown }).type;
  return typeof type === 'string' && KNOWN_EVENT_TYPES.has(type) ? (message as AriEvent) : undefined;
}
