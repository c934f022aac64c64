import { putUserSettings } from '../lib/core/user-settings.js';
import { loadDeps, type Deps } from '../lib/deps.js';
import { httpRoute } from '../lib/http/route.js';
import { PutUserBody, UserIdParams } from '../lib/http/schemas.js';
import { userView } from '../lib/http/views.js';

export const createPutUserDingTalkHandler = (getDeps: () => Promise<Deps>) =>
  httpRoute(getDeps, { signed: true, params: UserIdParams, body: PutUserBody }, async ({ params, body }, deps) => {
    const settings = await putUserSettings(
      { ...deps, defaultPhoneRegion: deps.config.DEFAULT_PHONE_REGION, defaultLocale: deps.config.DEFAULT_LOCALE },
      params.userId,
      body,
    );
    return { status: 200, body: userView(settings) };
  });

export const handler = createPutUserDingTalkHandler(loadDeps);
