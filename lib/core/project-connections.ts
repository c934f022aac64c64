import type { Clock, ProjectConnection, ProjectStore } from './ports.js';

export interface ProjectConnectionDeps {
  projects: ProjectStore;
  clock: Clock;
}

/** Seed step 2: the ticket system decides who may connect (the project's Owner); we record who did and when. */
export async function setProjectConnection(
  deps: ProjectConnectionDeps,
  projectId: string,
  input: { connected: boolean; actorId: string },
): Promise<ProjectConnection> {
  const connection = { projectId, connected: input.connected, updatedBy: input.actorId, updatedAt: deps.clock().toISOString() };
  await deps.projects.put(connection);
  return connection;
}

/** "Connect all": every listed project ends in the new state, or the call fails and may be repeated. */
export async function setProjectConnections(
  deps: ProjectConnectionDeps,
  input: { projectIds: readonly string[]; connected: boolean; actorId: string },
): Promise<ProjectConnection[]> {
  const updatedAt = deps.clock().toISOString();
  const connections = input.projectIds.map((projectId) => ({ projectId, connected: input.connected, updatedBy: input.actorId, updatedAt }));
  await deps.projects.putMany(connections);
  return connections;
}

/** Connections in the order asked; a project never configured is not connected. */
export async function getProjectConnections(deps: Pick<ProjectConnectionDeps, 'projects'>, projectIds: readonly string[]): Promise<ProjectConnection[]> {
  const found = await deps.projects.getMany([...new Set(projectIds)]);
  return projectIds.map((projectId) => found.get(projectId) ?? { projectId, connected: false });
}
