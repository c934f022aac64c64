import { describe, expect, it } from 'vitest';
import { buildTestMessage, buildTicketMessage, escapeMarkdown, MAX_MESSAGE_BYTES, messageBytes, openInBrowser, truncate } from '../../lib/core/message.js';
import { assigneesChanged, commentAdded, statusChanged } from '../events.js';

const card = (message: ReturnType<typeof buildTicketMessage>) => {
  if (message.msgtype !== 'action_card') throw new Error('expected an action card');
  return message.action_card;
};

describe('buildTicketMessage', () => {
  it.each([
    ['vi', 'đã bình luận', 'Mở ticket', '2026-12-04 16:59:58 (GMT+7)'],
    ['en', 'commented', 'Open ticket', '2026-12-04 09:59:58 (UTC)'],
    ['zh', '发表了评论', '查看工单', '2026-12-04 17:59:58 (GMT+8)'],
  ] as const)('speaks %s: who did what, where, when', (locale, verb, button, time) => {
    const c = card(buildTicketMessage(commentAdded(), locale));
    expect(c.title).toContain('ALPHA-42');
    expect(c.title).toContain(verb);
    expect(c.markdown).toContain('Login page is blank on Safari');
    expect(c.markdown).toContain('Trần Thị B');
    expect(c.markdown).toContain('Đã xác nhận lỗi trên Safari 17.');
    expect(c.markdown).toContain('Alpha');
    expect(c.markdown).toContain(time);
    expect(c.single_title).toBe(button);
    expect(c.single_title.length).toBeLessThanOrEqual(20);
  });

  it('names added and removed handlers', () => {
    const c = card(buildTicketMessage(assigneesChanged(), 'vi'));
    expect(c.markdown).toContain('Thêm: Lê Văn C');
    expect(c.markdown).toContain('Bỏ: Phạm D');
  });

  it('shows the old and new status', () => {
    const c = card(buildTicketMessage(statusChanged({ status: { from: 'Open', to: 'Done' } }), 'en'));
    expect(c.markdown).toContain('Open → Done');
  });

  it('opens the ticket in the browser from desktop DingTalk', () => {
    const c = card(buildTicketMessage(statusChanged(), 'en'));
    expect(c.single_url).toBe(`dingtalk://dingtalkclient/page/link?url=${encodeURIComponent('https://tickets.example.com/alpha/42')}&pc_slide=false`);
  });

  it('falls back to the plain URL when the wrapped one would exceed DingTalk\'s 500 characters', () => {
    const url = `https://tickets.example.com/${'a'.repeat(300)}?q=${'é'.repeat(20)}`;
    expect(openInBrowser(url)).toBe(url);
  });

  it('escapes user text so it cannot open markdown', () => {
    const c = card(buildTicketMessage(commentAdded({ comment: { id: 'c', body: '# heading [link](http://x) **bold** > quote' } }), 'en'));
    expect(c.markdown).toContain('\\# heading \\[link\\]\\(http://x\\) \\*\\*bold\\*\\* \\> quote');
    expect(escapeMarkdown('a_b`c')).toBe('a\\_b\\`c');
  });

  it('puts multi-line comments on one quoted line', () => {
    const c = card(buildTicketMessage(commentAdded({ comment: { id: 'c', body: 'line one\n\n# line two' } }), 'en'));
    expect(c.markdown).toContain('> line one \\# line two');
  });

  it.each([
    ['Vietnamese', 'Người dùng không thể đăng nhập được vào hệ thống khi dùng trình duyệt Safari. '],
    ['Chinese', '用户在使用浏览器时无法登录系统，页面显示空白。'],
    ['emoji', '🙂👍🏽🇻🇳 '],
  ])('fits %s text in 2048 bytes, cut at a character boundary', (_name, unit) => {
    const long = unit.repeat(400);
    const event = commentAdded({
      comment: { id: 'c', body: long },
      ticket: { title: long.slice(0, 500), projectName: long.slice(0, 200) },
      actor: { id: 'u-9', name: long.slice(0, 200) },
    });
    for (const locale of ['vi', 'en', 'zh'] as const) {
      const message = buildTicketMessage(event, locale);
      expect(messageBytes(message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
      expect(JSON.stringify(message)).not.toContain('\uFFFD');
      // No lone surrogate: every character survives a UTF-8 round trip.
      const text = card(message).markdown;
      expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
    }
  });

  it('keeps as much of a long comment as fits, with an ellipsis', () => {
    const c = card(buildTicketMessage(commentAdded({ comment: { id: 'c', body: 'ệ'.repeat(3000) } }), 'vi'));
    expect(c.markdown).toContain('…');
    expect(c.markdown).toMatch(/ệ{100,}/);
  });

  it('fits 100 added handlers with long names', () => {
    const people = Array.from({ length: 100 }, (_, i) => ({ id: `u-${i}`, name: `Nguyễn Thị Phương Thảo ${i}`.repeat(5) }));
    const message = buildTicketMessage(assigneesChanged({ assignees: { added: people, removed: people } }), 'vi');
    expect(messageBytes(message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(card(message).markdown).toContain('và 90 người khác');
  });

  it('differs for two look-alike changes at different times (DingTalk drops identical content the same day)', () => {
    const first = buildTicketMessage(statusChanged({ occurredAt: '2026-12-04T09:00:00Z', status: { from: 'Open', to: 'Done' } }), 'vi');
    const second = buildTicketMessage(statusChanged({ occurredAt: '2026-12-04T09:00:01Z', status: { from: 'Open', to: 'Done' } }), 'vi');
    expect(JSON.stringify(first)).not.toBe(JSON.stringify(second));
  });

  it('is the same for the same event, whenever it is built (a redelivery is dropped by DingTalk, not shown twice)', () => {
    const event = statusChanged();
    expect(buildTicketMessage(event, 'zh')).toEqual(buildTicketMessage(structuredClone(event), 'zh'));
  });
});

describe('truncate', () => {
  it('never splits a combining sequence', () => {
    const decomposed = 'e\u0302\u0301'.repeat(5); // ế written with combining marks
    const cut = truncate(decomposed, 3);
    expect(cut).toBe('e\u0302\u0301e\u0302\u0301…');
  });
  it('leaves short text alone', () => {
    expect(truncate('abc', 3)).toBe('abc');
  });
});

describe('buildTestMessage', () => {
  it('carries the time so two tests the same day both arrive', () => {
    const a = buildTestMessage('vi', new Date('2026-12-04T10:00:00Z'));
    const b = buildTestMessage('vi', new Date('2026-12-04T10:00:01Z'));
    expect(a).not.toEqual(b);
    expect(JSON.stringify(a)).toContain('17:00:00');
  });
});
