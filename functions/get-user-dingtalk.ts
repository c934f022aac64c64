import { getUserSettings } from '../lib/core/user-settings.js';
import { loadDeps, type Deps } from '../lib/deps.js';
import { httpRoute } from '../lib/http/route.js';
import { UserIdParams } from '../lib/http/schemas.js';
import { userView } from '../lib/http/views.js';

export const createGetUserDingTalkHandler = (getDeps: () => Promise<Deps>) =>
  httpRoute(getDeps, { signed: true, params: UserIdParams }, async ({ params }, deps) => ({
    status: 200,
    body: userView(await getUserSettings(deps, params.userId)),
  }));

export const handler = createGetUserDingTalkHandler(loadDeps);
