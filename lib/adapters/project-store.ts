import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { ProjectConnection, ProjectStore } from '../core/ports.js';
import { batchGetAll, batchPutAll } from './dynamodb.js';

/** One item per project that was ever connected or disconnected, keyed `projectId`. */
const ProjectItem = z.object({
  projectId: z.string(),
  connected: z.boolean(),
  updatedBy: z.string().optional(),
  updatedAt: z.string().optional(),
});

export class DynamoProjectStore implements ProjectStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(projectId: string): Promise<ProjectConnection | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { projectId } }));
    return out.Item ? ProjectItem.parse(out.Item) : undefined;
  }

  async getMany(projectIds: readonly string[]): Promise<Map<string, ProjectConnection>> {
    const items = await batchGetAll(this.db, this.table, [...new Set(projectIds)].map((projectId) => ({ projectId })));
    return new Map(items.map((raw) => ProjectItem.parse(raw)).map((item) => [item.projectId, item]));
  }

  async put(connection: ProjectConnection): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...connection } }));
  }

  async putMany(connections: readonly ProjectConnection[]): Promise<void> {
    await batchPutAll(this.db, this.table, connections.map((c) => ({ ...c })));
  }
}
