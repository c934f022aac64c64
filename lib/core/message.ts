import type { Locale } from './ids.js';
import { MESSAGE_TEXTS, type MessageTexts } from './message-texts.js';
import type { TicketEvent } from './ticket-event.js';

/** The `msg` field of DingTalk's `asyncsend_v2`, in the two shapes we send. */
export type DingTalkMessage =
  | {
      msgtype: 'action_card';
      action_card: { title: string; markdown: string; single_title: string; single_url: string };
    }
  | { msgtype: 'text'; text: { content: string } };

/** DingTalk rejects (`34016`) a `msg` over 2048 bytes, counted in UTF-8: Vietnamese takes 2–3 bytes a letter. */
export const MAX_MESSAGE_BYTES = 2048;
/** DingTalk's limit on `action_card.single_url`. */
const MAX_URL_LENGTH = 500;
const MAX_EXCERPT = 400;
const MAX_NAMES = 10;

export function messageBytes(message: DingTalkMessage): number {
  return Buffer.byteLength(JSON.stringify(message), 'utf8');
}

/**
 * The notification one locale's recipients get for a ticket change: who did what to which ticket, and when.
 *
 * The content depends only on the event and the locale, never on when it is built. That matters twice:
 * DingTalk silently drops content identical to what the person got earlier that day, so the time of the
 * change (to the second) and the actor make two look-alike changes different; and a redelivered event
 * rebuilds exactly the same content, which DingTalk then drops instead of showing it twice.
 *
 * User text is trimmed (at grapheme boundaries) until the whole `msg` fits DingTalk's 2048 bytes: first the
 * comment excerpt, then every other piece of user text.
 */
export function buildTicketMessage(event: TicketEvent, locale: Locale): DingTalkMessage {
  const t = MESSAGE_TEXTS[locale];
  const build = (excerptMax: number, textMax: number) => render(event, t, excerptMax, textMax);
  let message = build(MAX_EXCERPT, 200);
  if (messageBytes(message) <= MAX_MESSAGE_BYTES) return message;
  const excerptMax = largestFitting(MAX_EXCERPT, (n) => messageBytes(build(n, 200)) <= MAX_MESSAGE_BYTES);
  if (excerptMax >= 0) return build(excerptMax, 200);
  const textMax = largestFitting(200, (n) => messageBytes(build(0, n)) <= MAX_MESSAGE_BYTES);
  message = build(0, Math.max(textMax, 1));
  return message;
}

/** A short text message for `POST /users/{userId}/dingtalk/test`; the time makes each one unique. */
export function buildTestMessage(locale: Locale, now: Date): DingTalkMessage {
  const t = MESSAGE_TEXTS[locale];
  const content = `${t.testTitle}: ${t.testBody.replace('{time}', formatTime(now.toISOString(), t))}`;
  return { msgtype: 'text', text: { content } };
}

function render(event: TicketEvent, t: MessageTexts, excerptMax: number, textMax: number): DingTalkMessage {
  const text = (value: string) => escapeMarkdown(truncate(oneLine(value), textMax));
  const actor = text(event.actor.name);
  const lines: string[] = [`#### ${escapeMarkdown(truncate(oneLine(event.ticket.key), 64))} · ${text(event.ticket.title)}`];
  let action: string;
  switch (event.type) {
    case 'comment-added': {
      action = t.commented;
      lines.push(`**${actor}** ${action}:`);
      const excerpt = truncate(oneLine(event.comment.body), excerptMax);
      if (excerpt) lines.push(`> ${escapeMarkdown(excerpt)}`);
      break;
    }
    case 'assignees-changed': {
      action = t.changedAssignees;
      lines.push(`**${actor}** ${action}`);
      const names = (people: { name: string }[]) => {
        const shown = people.slice(0, MAX_NAMES).map((p) => text(p.name));
        if (people.length > MAX_NAMES) shown.push(t.more.replace('{n}', String(people.length - MAX_NAMES)));
        return shown.join(', ');
      };
      if (event.assignees.added.length) lines.push(`${t.added}: ${names(event.assignees.added)}`);
      if (event.assignees.removed.length) lines.push(`${t.removed}: ${names(event.assignees.removed)}`);
      break;
    }
    case 'status-changed':
      action = t.changedStatus;
      lines.push(`**${actor}** ${action}: ${text(event.status.from)} → ${text(event.status.to)}`);
      break;
  }
  lines.push(`${t.project}: ${text(event.ticket.projectName)}`);
  lines.push(`${t.at}: ${formatTime(event.occurredAt, t)}`);
  return {
    msgtype: 'action_card',
    action_card: {
      // The title is what the phone's notification banner shows.
      title: truncate(`${oneLine(event.ticket.key)} · ${truncate(oneLine(event.actor.name), textMax)} ${action}`, 100),
      markdown: lines.join('\n\n'),
      single_title: t.button,
      single_url: openInBrowser(event.ticket.url),
    },
  };
}

/**
 * Desktop DingTalk opens plain links in its own side panel; this wrapper opens the ticket in the browser.
 * A URL that would be too long once wrapped is sent as it is.
 */
export function openInBrowser(url: string): string {
  const wrapped = `dingtalk://dingtalkclient/page/link?url=${encodeURIComponent(url)}&pc_slide=false`;
  return wrapped.length <= MAX_URL_LENGTH ? wrapped : url;
}

/** `2026-12-04 16:59:58 (GMT+7)` in the locale's time zone. */
export function formatTime(iso: string, t: Pick<MessageTexts, 'timeZone' | 'zoneLabel'>): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: t.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')} (${t.zoneLabel})`;
}

/**
 * DingTalk renders a markdown subset; user text must not open a heading, quote, link, emphasis or code span.
 * Backslash escapes are CommonMark's; DingTalk's renderer is not documented on this point.
 */
export function escapeMarkdown(value: string): string {
  return value.replace(/[\\`*_[\]()#>~<|!]/g, (c) => `\\${c}`);
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Cuts to at most `max` graphemes (never inside a character or a combining sequence), adding `…` when cut. */
export function truncate(value: string, max: number): string {
  if (max <= 0) return '';
  const parts = Array.from(graphemes.segment(value), (s) => s.segment);
  if (parts.length <= max) return value;
  return parts.slice(0, Math.max(max - 1, 0)).join('') + '…';
}

/** The largest n in [0, max] for which `fits(n)` holds (fits is monotone), or -1 when even 0 does not fit. */
function largestFitting(max: number, fits: (n: number) => boolean): number {
  if (!fits(0)) return -1;
  let low = 0;
  let high = max;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}
