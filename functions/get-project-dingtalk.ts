import { getProjectConnections } from '../lib/core/project-connections.js';
import { loadDeps, type Deps } from '../lib/deps.js';
import { httpRoute } from '../lib/http/route.js';
import { ProjectIdParams } from '../lib/http/schemas.js';
import { projectView } from '../lib/http/views.js';

export const createGetProjectDingTalkHandler = (getDeps: () => Promise<Deps>) =>
  httpRoute(getDeps, { signed: true, params: ProjectIdParams }, async ({ params }, deps) => {
    const [connection] = await getProjectConnections(deps, [params.projectId]);
    return { status: 200, body: projectView(connection!) };
  });

export const handler = createGetProjectDingTalkHandler(loadDeps);
