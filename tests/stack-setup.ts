import type { TestProject } from 'vitest/node';
import { startStack } from '../local/stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    dingtalkUrl: string;
    dynamodbEndpoint: string;
    sqsEndpoint: string;
    queueUrl: string;
    deadLetterQueueUrl: string;
  }
}

/** Starts the whole local stack once for the `stack` project, on free ports, and stops it afterwards. */
export default async function setup(project: TestProject) {
  const lines: string[] = [];
  const stack = await startStack({
    env: {
      // Retry at once and briefly: the back-off itself is covered by the worker's unit tests.
      RETRY_BASE_SECONDS: '0',
      DINGTALK_RETRY_DELAY_MS: '50',
      DINGTALK_TIMEOUT_MS: '2000',
      DINGTALK_RECHECK_SECONDS: '2',
      LOG_LEVEL: 'WARN',
    },
    log: (line) => lines.push(line),
  }).catch((error: unknown) => {
    console.error(lines.join('\n'));
    throw error;
  });
  project.provide('apiUrl', stack.apiUrl);
  project.provide('dingtalkUrl', stack.dingtalkUrl);
  project.provide('dynamodbEndpoint', stack.dynamodbEndpoint);
  project.provide('sqsEndpoint', stack.sqsEndpoint);
  project.provide('queueUrl', stack.queueUrl);
  project.provide('deadLetterQueueUrl', stack.deadLetterQueueUrl);
  return async () => {
    await stack.stop();
    if (process.env.STACK_LOG) console.log(lines.join('\n'));
  };
}
