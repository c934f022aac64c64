import type { Locale } from './ids.js';

/** Everything a notification says, per locale. `{x}` are filled in by `message.ts`. */
export interface MessageTexts {
  commented: string;
  changedAssignees: string;
  changedStatus: string;
  added: string;
  removed: string;
  project: string;
  at: string;
  button: string;
  more: string;
  testTitle: string;
  testBody: string;
  /** Times are shown in the zone the locale's readers most likely live in. */
  timeZone: string;
  zoneLabel: string;
}

export const MESSAGE_TEXTS: Record<Locale, MessageTexts> = {
  vi: {
    commented: 'đã bình luận',
    changedAssignees: 'đã cập nhật Người xử lý',
    changedStatus: 'đã chuyển trạng thái',
    added: 'Thêm',
    removed: 'Bỏ',
    project: 'Dự án',
    at: 'Lúc',
    button: 'Mở ticket',
    more: 'và {n} người khác',
    testTitle: 'Thông báo thử',
    testBody: 'Bạn sẽ nhận thông báo ticket tại đây. Gửi lúc {time}.',
    timeZone: 'Asia/Ho_Chi_Minh',
    zoneLabel: 'GMT+7',
  },
  en: {
    commented: 'commented',
    changedAssignees: 'changed the handlers',
    changedStatus: 'changed the status',
    added: 'Added',
    removed: 'Removed',
    project: 'Project',
    at: 'At',
    button: 'Open ticket',
    more: 'and {n} more',
    testTitle: 'Test notification',
    testBody: 'Ticket notifications will arrive here. Sent at {time}.',
    timeZone: 'UTC',
    zoneLabel: 'UTC',
  },
  zh: {
    commented: '发表了评论',
    changedAssignees: '更新了处理人',
    changedStatus: '更改了状态',
    added: '新增',
    removed: '移除',
    project: '项目',
    at: '时间',
    button: '查看工单',
    more: '等 {n} 人',
    testTitle: '测试通知',
    testBody: '工单通知将发送到这里。发送时间 {time}。',
    timeZone: 'Asia/Shanghai',
    zoneLabel: 'GMT+8',
  },
};
