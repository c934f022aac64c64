import { lookUpLink } from './dingtalk-link.js';
import { NotFoundError, NotOnDingTalkError } from './errors.js';
import type { Locale } from './ids.js';
import { buildTestMessage } from './message.js';
import { maskPhone, normalisePhone } from './phone.js';
import type { Clock, DingTalk, DingTalkLink, Log, UserSettings, UserStore } from './ports.js';

export interface UserSettingsDeps {
  users: UserStore;
  dingtalk: DingTalk;
  clock: Clock;
  log: Log;
  defaultPhoneRegion: string;
  defaultLocale: Locale;
}

/**
 * Seed step 1: a user enters their phone. DingTalk is asked at once so the person sees whether notifications
 * can reach them; when DingTalk cannot be asked the settings are still saved, as `unverified`.
 */
export async function putUserSettings(
  deps: UserSettingsDeps,
  userId: string,
  input: { phone: string; locale?: Locale | undefined },
): Promise<UserSettings> {
  const phone = normalisePhone(input.phone, deps.defaultPhoneRegion);
  const now = deps.clock();
  let link: DingTalkLink;
  try {
    link = await lookUpLink(deps.dingtalk, phone, now);
  } catch (error) {
    deps.log.warn('DingTalk could not be asked about a phone; saved as unverified', { userId, phone: maskPhone(phone), error: String(error) });
    link = { status: 'unverified' };
  }
  const settings: UserSettings = {
    userId,
    phone,
    locale: input.locale ?? deps.defaultLocale,
    dingtalk: link,
    updatedAt: now.toISOString(),
  };
  await deps.users.put(settings);
  return settings;
}

export async function getUserSettings(deps: Pick<UserSettingsDeps, 'users'>, userId: string): Promise<UserSettings> {
  const settings = await deps.users.get(userId);
  if (!settings) throw new NotFoundError('user has no DingTalk settings');
  return settings;
}

/** Forgets the phone and everything learnt from it (the DingTalk user id lives on the same record). */
export async function deleteUserSettings(deps: Pick<UserSettingsDeps, 'users'>, userId: string): Promise<void> {
  await deps.users.delete(userId);
}

/** Sends one test work notification now; DingTalk is asked again unless the phone is already linked. */
export async function sendTestNotification(deps: UserSettingsDeps, userId: string): Promise<void> {
  const settings = await getUserSettings(deps, userId);
  let link = settings.dingtalk;
  if (link.status !== 'linked') {
    link = await lookUpLink(deps.dingtalk, settings.phone, deps.clock());
    await deps.users.saveLink(userId, settings.phone, link);
  }
  if (link.status !== 'linked') throw new NotOnDingTalkError('DingTalk has no user with this phone');
  await deps.dingtalk.sendWorkNotification([link.dingtalkUserId], buildTestMessage(settings.locale, deps.clock()));
}
