import { setProjectConnection } from '../lib/core/project-connections.js';
import { loadDeps, type Deps } from '../lib/deps.js';
import { httpRoute } from '../lib/http/route.js';
import { ProjectIdParams, PutProjectBody } from '../lib/http/schemas.js';
import { projectView } from '../lib/http/views.js';

export const createPutProjectDingTalkHandler = (getDeps: () => Promise<Deps>) =>
  httpRoute(getDeps, { signed: true, params: ProjectIdParams, body: PutProjectBody }, async ({ params, body }, deps) => ({
    status: 200,
    body: projectView(await setProjectConnection(deps, params.projectId, body)),
  }));

export const handler = createPutProjectDingTalkHandler(loadDeps);
