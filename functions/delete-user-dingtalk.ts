import { deleteUserSettings } from '../lib/core/user-settings.js';
import { loadDeps, type Deps } from '../lib/deps.js';
import { httpRoute } from '../lib/http/route.js';
import { UserIdParams } from '../lib/http/schemas.js';

export const createDeleteUserDingTalkHandler = (getDeps: () => Promise<Deps>) =>
  httpRoute(getDeps, { signed: true, params: UserIdParams }, async ({ params }, deps) => {
    await deleteUserSettings(deps, params.userId);
    return { status: 204 };
  });

export const handler = createDeleteUserDingTalkHandler(loadDeps);
