import { sendTestNotification } from '../lib/core/user-settings.js';
import { loadDeps, type Deps } from '../lib/deps.js';
import { httpRoute } from '../lib/http/route.js';
import { UserIdParams } from '../lib/http/schemas.js';

export const createTestUserDingTalkHandler = (getDeps: () => Promise<Deps>) =>
  httpRoute(getDeps, { signed: true, params: UserIdParams }, async ({ params }, deps) => {
    await sendTestNotification(
      { ...deps, defaultPhoneRegion: deps.config.DEFAULT_PHONE_REGION, defaultLocale: deps.config.DEFAULT_LOCALE },
      params.userId,
    );
    return { status: 200, body: { sent: true } };
  });

export const handler = createTestUserDingTalkHandler(loadDeps);
