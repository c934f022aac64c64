/**
 * The small interfaces the core needs from the outside world. Adapters in `lib/adapters/` implement them
 * against DynamoDB, SQS and DingTalk; tests implement them in memory (`tests/fakes.ts`).
 */
import type { Locale } from './ids.js';
import type { E164 } from './phone.js';
import type { RecipientOutcome } from './recipients.js';
import type { TicketEvent, TicketEventType } from './ticket-event.js';
import type { DingTalkMessage } from './message.js';

/** What DingTalk said about a phone number, and when. */
export type DingTalkLink =
  | { status: 'linked'; dingtalkUserId: string; checkedAt: string }
  | { status: 'not_found'; checkedAt: string }
  | { status: 'unverified' };

export interface UserSettings {
  userId: string;
  phone: E164;
  locale: Locale;
  dingtalk: DingTalkLink;
  updatedAt: string;
}

export interface UserStore {
  get(userId: string): Promise<UserSettings | undefined>;
  /** Reads many users in as few requests as the store allows; unknown users are absent from the map. */
  getMany(userIds: readonly string[]): Promise<Map<string, UserSettings>>;
  put(settings: UserSettings): Promise<void>;
  delete(userId: string): Promise<void>;
  /** Saves what DingTalk said, but only while the user still has `phone` (a newer PUT wins). */
  saveLink(userId: string, phone: E164, link: DingTalkLink): Promise<void>;
}

export interface ProjectConnection {
  projectId: string;
  connected: boolean;
  updatedBy?: string;
  updatedAt?: string;
}

export interface ProjectStore {
  get(projectId: string): Promise<ProjectConnection | undefined>;
  getMany(projectIds: readonly string[]): Promise<Map<string, ProjectConnection>>;
  put(connection: ProjectConnection): Promise<void>;
  /** Writes every connection or throws: nothing is reported written that was not. */
  putMany(connections: readonly ProjectConnection[]): Promise<void>;
}

export type EventState = 'queued' | 'processed' | 'failed';

export interface EventRecord {
  eventId: string;
  type: TicketEventType;
  ticketId: string;
  projectId: string;
  state: EventState;
  event: TicketEvent;
  receivedAt: string;
  /** Set once the event is on the queue; a repeated post of an event without it enqueues it again. */
  enqueuedAt?: string;
  /** Users whose DingTalk message has been accepted by DingTalk, recorded after each send. */
  sentTo: string[];
  recipients: RecipientOutcome[];
}

export interface EventStore {
  /** Stores a new event; answers the existing record instead when the event id is already known. */
  create(record: EventRecord): Promise<{ created: true } | { created: false; existing: EventRecord }>;
  markEnqueued(eventId: string, at: string): Promise<void>;
  get(eventId: string): Promise<EventRecord | undefined>;
  /**
   * Reads the event and, unless it is processed or another worker's lease on it is still running, leases it to
   * this worker until `until`, in one request. `record` is absent when the event does not exist.
   */
  claim(eventId: string, now: Date, until: Date): Promise<{ claimed: boolean; record?: EventRecord }>;
  /** Gives a lease back early, so a retry need not wait for it to run out. */
  release(eventId: string): Promise<void>;
  recordSent(eventId: string, userIds: readonly string[]): Promise<void>;
  finish(eventId: string, state: Exclude<EventState, 'queued'>, recipients: readonly RecipientOutcome[]): Promise<void>;
}

export interface EventQueue {
  enqueue(eventId: string): Promise<void>;
  /** Hides a received message for `seconds` before it is delivered again (retry back-off). */
  delayRedelivery(receiptHandle: string, seconds: number): Promise<void>;
}

/** DingTalk, as the core sees it. Errors are `DingTalkTransientError` or `DingTalkPermanentError`. */
export interface DingTalk {
  /** The DingTalk user id of this mobile (DingTalk's mobile form), or `null` when DingTalk knows no such user. */
  findUserIdByMobile(mobile: string): Promise<string | null>;
  /** One work notification to at most 100 DingTalk users. */
  sendWorkNotification(dingtalkUserIds: readonly string[], message: DingTalkMessage): Promise<void>;
}

export class DingTalkTransientError extends Error {
  override readonly name = 'DingTalkTransientError';
}

export class DingTalkPermanentError extends Error {
  override readonly name = 'DingTalkPermanentError';
}

/** Another worker holds the event (SQS delivered it twice at once): try again once it is done. */
export class EventBusyError extends Error {
  override readonly name = 'EventBusyError';
}

export type Clock = () => Date;

/** Structured logging, as the core uses it (Powertools' Logger fits it). Never pass a phone number unmasked. */
export interface Log {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}
