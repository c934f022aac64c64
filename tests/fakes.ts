/** In-memory implementations of the core's interfaces, for the unit ring. */
import type { DingTalkMessage } from '../lib/core/message.js';
import type { E164 } from '../lib/core/phone.js';
import type {
  DingTalk,
  DingTalkLink,
  EventQueue,
  EventRecord,
  EventState,
  EventStore,
  Log,
  ProjectConnection,
  ProjectStore,
  UserSettings,
  UserStore,
} from '../lib/core/ports.js';
import type { RecipientOutcome } from '../lib/core/recipients.js';

export class FakeUserStore implements UserStore {
  readonly users = new Map<string, UserSettings>();
  getManyCalls = 0;
  async get(userId: string) {
    return structuredClone(this.users.get(userId));
  }
  async getMany(userIds: readonly string[]) {
    this.getManyCalls++;
    return new Map(userIds.filter((id) => this.users.has(id)).map((id) => [id, structuredClone(this.users.get(id)!)]));
  }
  async put(settings: UserSettings) {
    this.users.set(settings.userId, structuredClone(settings));
  }
  async delete(userId: string) {
    this.users.delete(userId);
  }
  async saveLink(userId: string, phone: E164, link: DingTalkLink) {
    const user = this.users.get(userId);
    if (user && user.phone === phone) user.dingtalk = structuredClone(link);
  }
}

export class FakeProjectStore implements ProjectStore {
  readonly projects = new Map<string, ProjectConnection>();
  async get(projectId: string) {
    return this.projects.get(projectId);
  }
  async getMany(projectIds: readonly string[]) {
    return new Map(projectIds.filter((id) => this.projects.has(id)).map((id) => [id, this.projects.get(id)!]));
  }
  async put(connection: ProjectConnection) {
    this.projects.set(connection.projectId, connection);
  }
  async putMany(connections: readonly ProjectConnection[]) {
    for (const c of connections) this.projects.set(c.projectId, c);
  }
}

export class FakeEventStore implements EventStore {
  readonly records = new Map<string, EventRecord>();
  /** Makes the next `finish` throw, like a worker that dies after sending and before recording. */
  failNextFinish = false;
  async create(record: EventRecord) {
    const existing = this.records.get(record.eventId);
    if (existing) return { created: false as const, existing: structuredClone(existing) };
    this.records.set(record.eventId, structuredClone(record));
    return { created: true as const };
  }
  async markEnqueued(eventId: string, at: string) {
    this.records.get(eventId)!.enqueuedAt = at;
  }
  async get(eventId: string) {
    return structuredClone(this.records.get(eventId));
  }
  readonly leases = new Map<string, number>();
  async claim(eventId: string, now: Date, until: Date) {
    const record = this.records.get(eventId);
    if (!record) return { claimed: false };
    const lease = this.leases.get(eventId);
    const claimed = record.state !== 'processed' && (lease === undefined || lease < now.getTime());
    if (claimed) this.leases.set(eventId, until.getTime());
    return { claimed, record: structuredClone(record) };
  }
  async release(eventId: string) {
    this.leases.delete(eventId);
  }
  async recordSent(eventId: string, userIds: readonly string[]) {
    const record = this.records.get(eventId)!;
    record.sentTo = [...new Set([...record.sentTo, ...userIds])];
  }
  async finish(eventId: string, state: Exclude<EventState, 'queued'>, recipients: readonly RecipientOutcome[]) {
    if (this.failNextFinish) {
      this.failNextFinish = false;
      throw new Error('simulated crash before recording');
    }
    const record = this.records.get(eventId)!;
    record.state = state;
    record.recipients = [...recipients];
    this.leases.delete(eventId);
  }
}

export class FakeQueue implements EventQueue {
  readonly sent: string[] = [];
  readonly delays: { receiptHandle: string; seconds: number }[] = [];
  failNext = false;
  async delayRedelivery(receiptHandle: string, seconds: number) {
    this.delays.push({ receiptHandle, seconds });
  }
  async enqueue(eventId: string) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('SQS unavailable');
    }
    this.sent.push(eventId);
  }
}

/** A DingTalk of our own interface: a directory of mobiles, a log of sends, and scripted failures. */
export class FakeDingTalk implements DingTalk {
  readonly directory = new Map<string, string>();
  readonly sends: { userIds: string[]; message: DingTalkMessage }[] = [];
  lookups: string[] = [];
  failures: Error[] = [];
  async findUserIdByMobile(mobile: string) {
    this.lookups.push(mobile);
    const failure = this.failures.shift();
    if (failure) throw failure;
    return this.directory.get(mobile) ?? null;
  }
  async sendWorkNotification(userIds: readonly string[], message: DingTalkMessage) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sends.push({ userIds: [...userIds], message });
  }
}

export const silentLog: Log = { info() {}, warn() {}, error() {} };

export const fixedClock = (iso = '2026-12-04T10:00:00.000Z') => () => new Date(iso);
