import { getProjectConnections } from '../lib/core/project-connections.js';
import { loadDeps, type Deps } from '../lib/deps.js';
import { httpRoute } from '../lib/http/route.js';
import { ProjectsQuery } from '../lib/http/schemas.js';
import { projectView } from '../lib/http/views.js';

/** What the Project management screen renders: connections in the order asked. */
export const createListProjectsDingTalkHandler = (getDeps: () => Promise<Deps>) =>
  httpRoute(getDeps, { signed: true, query: ProjectsQuery }, async ({ query }, deps) => ({
    status: 200,
    body: { projects: (await getProjectConnections(deps, query.ids)).map(projectView) },
  }));

export const handler = createListProjectsDingTalkHandler(loadDeps);
