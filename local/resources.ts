/**
 * Creates the local tables and queues from `serverless.yml`'s own CloudFormation resources, so the local stack
 * and AWS run the same definitions (keys, TTL, redrive policy, visibility timeout).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException, UpdateTimeToLiveCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';

export interface ServerlessConfig {
  service: string;
  provider: { environment: Record<string, string> };
  functions: Record<string, { handler: string; events?: { sqs?: { maximumConcurrency?: number; batchSize?: number } }[] }>;
  resources: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
}

/** `serverless print` resolves every variable exactly as `serverless offline` will. */
export async function readServerlessConfig(env: NodeJS.ProcessEnv): Promise<ServerlessConfig> {
  const { stdout } = await promisify(execFile)('npx', ['--no-install', 'serverless', 'print', '--stage', 'local', '--format', 'json'], {
    env,
    maxBuffer: 10 * 1024 * 1024,
  });
  return JSON.parse(stdout) as ServerlessConfig;
}

export async function createTables(config: ServerlessConfig, dynamodb: DynamoDBClient): Promise<void> {
  for (const resource of Object.values(config.resources.Resources)) {
    if (resource.Type !== 'AWS::DynamoDB::Table') continue;
    const p = resource.Properties as Record<string, never>;
    const input: CreateTableCommandInput = {
      TableName: p.TableName,
      AttributeDefinitions: p.AttributeDefinitions,
      KeySchema: p.KeySchema,
      BillingMode: p.BillingMode,
      GlobalSecondaryIndexes: p.GlobalSecondaryIndexes,
    };
    try {
      await dynamodb.send(new CreateTableCommand(input));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    const ttl = p.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean } | undefined;
    if (ttl?.Enabled) {
      await dynamodb
        .send(new UpdateTimeToLiveCommand({ TableName: p.TableName, TimeToLiveSpecification: ttl }))
        .catch((error: Error) => {
          if (!/already enabled/i.test(error.message)) throw error;
        });
    }
  }
}

/** Creates every queue, dead-letter queues first, resolving `Fn::GetAtt [Queue, Arn]` to the local queue's ARN. */
export async function createQueues(config: ServerlessConfig, sqs: SQSClient): Promise<Map<string, { url: string; arn: string }>> {
  const queues = Object.entries(config.resources.Resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue');
  const created = new Map<string, { url: string; arn: string }>();
  const pending = [...queues];
  while (pending.length > 0) {
    const index = pending.findIndex(([, r]) => {
      const target = dlqLogicalId(r.Properties);
      return !target || created.has(target);
    });
    if (index < 0) throw new Error('queues refer to dead-letter queues that do not exist');
    const [logicalId, resource] = pending.splice(index, 1)[0]!;
    const p = resource.Properties;
    const attributes: Record<string, string> = {};
    if (p.VisibilityTimeout !== undefined) attributes.VisibilityTimeout = String(p.VisibilityTimeout);
    if (p.MessageRetentionPeriod !== undefined) attributes.MessageRetentionPeriod = String(p.MessageRetentionPeriod);
    const redrive = p.RedrivePolicy as { maxReceiveCount: number } | undefined;
    const target = dlqLogicalId(p);
    if (redrive && target) {
      attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: created.get(target)!.arn, maxReceiveCount: Number(redrive.maxReceiveCount) });
    }
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: String(p.QueueName), Attributes: attributes }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    created.set(logicalId, { url: QueueUrl!, arn: Attributes!.QueueArn! });
  }
  return created;
}

function dlqLogicalId(properties: Record<string, unknown>): string | undefined {
  const target = (properties.RedrivePolicy as { deadLetterTargetArn?: { 'Fn::GetAtt'?: [string, string] } } | undefined)?.deadLetterTargetArn;
  return target?.['Fn::GetAtt']?.[0];
}
