import { setProjectConnections } from '../lib/core/project-connections.js';
import { loadDeps, type Deps } from '../lib/deps.js';
import { httpRoute } from '../lib/http/route.js';
import { ConnectAllBody } from '../lib/http/schemas.js';
import { projectView } from '../lib/http/views.js';

export const createConnectAllProjectsHandler = (getDeps: () => Promise<Deps>) =>
  httpRoute(getDeps, { signed: true, body: ConnectAllBody }, async ({ body }, deps) => {
    const projects = await setProjectConnections(deps, body);
    return { status: 200, body: { updated: projects.length, projects: projects.map(projectView) } };
  });

export const handler = createConnectAllProjectsHandler(loadDeps);
