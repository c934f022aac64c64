import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** One document client per cold start; the endpoint comes from `AWS_ENDPOINT_URL_DYNAMODB` when running locally. */
export function createDocumentClient(client = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

const MAX_GET_KEYS = 100;
const MAX_WRITE_ITEMS = 25;
const MAX_ATTEMPTS = 8;

/**
 * Reads every key with BatchGetItem, 100 keys a request, retrying the keys DynamoDB leaves unprocessed
 * (it does so under throttling) with exponential back-off. Throws rather than answer with keys missing.
 */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  table: string,
  keys: Record<string, unknown>[],
  options: { consistentRead?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += MAX_GET_KEYS) {
    let pending = keys.slice(i, i + MAX_GET_KEYS);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`BatchGetItem on ${table} left keys unprocessed after ${MAX_ATTEMPTS} attempts`);
      if (attempt > 1) await backOff(attempt);
      const out = await db.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: options.consistentRead } } }),
      );
      items.push(...(out.Responses?.[table] ?? []));
      pending = (out.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
  }
  return items;
}

/** Writes every item with BatchWriteItem, 25 a request, a few requests at once, retrying unprocessed items. */
export async function batchPutAll(db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[], concurrency = 4): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += MAX_WRITE_ITEMS) chunks.push(items.slice(i, i + MAX_WRITE_ITEMS));
  const writeChunk = async (chunk: Record<string, unknown>[]) => {
    let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`BatchWriteItem on ${table} left items unprocessed after ${MAX_ATTEMPTS} attempts`);
      if (attempt > 1) await backOff(attempt);
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (out.UnprocessedItems?.[table] as typeof pending | undefined) ?? [];
    }
  };
  for (let i = 0; i < chunks.length; i += concurrency) {
    await Promise.all(chunks.slice(i, i + concurrency).map(writeChunk));
  }
}

function backOff(attempt: number): Promise<void> {
  const ms = Math.min(50 * 2 ** attempt, 2000) * (0.5 + Math.random() / 2);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
