import { toDingTalkMobile, type E164 } from './phone.js';
import type { DingTalk, DingTalkLink } from './ports.js';

/**
 * Asks DingTalk who has this phone. Answers `linked` or `not_found`; DingTalk's errors are thrown
 * (callers decide whether that means "unverified" or "try the whole event again later").
 */
export async function lookUpLink(dingtalk: DingTalk, phone: E164, now: Date): Promise<DingTalkLink> {
  const dingtalkUserId = await dingtalk.findUserIdByMobile(toDingTalkMobile(phone));
  const checkedAt = now.toISOString();
  return dingtalkUserId ? { status: 'linked', dingtalkUserId, checkedAt } : { status: 'not_found', checkedAt };
}

/**
 * Whether DingTalk must be asked about this phone before sending (contract §5, rule 7): never for a linked
 * phone, always for an unverified one, and for a phone DingTalk did not know once `recheckSeconds` have passed,
 * so a person who registers on DingTalk later starts receiving.
 */
export function needsLookUp(link: DingTalkLink, now: Date, recheckSeconds: number): boolean {
  switch (link.status) {
    case 'linked':
      return false;
    case 'unverified':
      return true;
    case 'not_found':
      return now.getTime() - Date.parse(link.checkedAt) >= recheckSeconds * 1000;
  }
}
