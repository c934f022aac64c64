import type { EventRecord, ProjectConnection, UserSettings } from '../core/ports.js';

/** The public shapes of stored records: what the contract shows, and nothing learnt internally (the DingTalk user id). */

export function userView(settings: UserSettings) {
  const { dingtalk } = settings;
  return {
    userId: settings.userId,
    phone: settings.phone,
    locale: settings.locale,
    dingtalk: dingtalk.status === 'unverified' ? { status: dingtalk.status } : { status: dingtalk.status, checkedAt: dingtalk.checkedAt },
    updatedAt: settings.updatedAt,
  };
}

export function projectView(connection: ProjectConnection) {
  return connection.connected || connection.updatedBy
    ? { projectId: connection.projectId, connected: connection.connected, updatedBy: connection.updatedBy, updatedAt: connection.updatedAt }
    : { projectId: connection.projectId, connected: false };
}

export function eventReportView(record: EventRecord) {
  return {
    eventId: record.eventId,
    type: record.type,
    ticketId: record.ticketId,
    projectId: record.projectId,
    state: record.state,
    recipients: record.recipients.map(({ userId, roles, outcome }) => ({ userId, roles, outcome })),
  };
}
