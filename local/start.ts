/**
 * `npm start`: the whole local stack on fixed ports (HTTP API on http://localhost:3000). Ctrl-C stops it all.
 * Ports: HTTP_PORT (3000), LAMBDA_PORT (3002), DYNAMODB_PORT (8000), SQS_PORT (9324), DINGTALK_PORT (3010).
 * Every setting of contract §7 (SIGNING_SECRETS, DINGTALK_API_URL, ...) is read from the environment.
 */
import { startStack, stopOnSignal } from './stack.js';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const started = Date.now();
const stack = await startStack({
  httpPort: port('HTTP_PORT', 3000),
  lambdaPort: port('LAMBDA_PORT', 3002),
  dynamodbPort: port('DYNAMODB_PORT', 8000),
  sqsPort: port('SQS_PORT', 9324),
  dingtalkPort: port('DINGTALK_PORT', 3010),
  log: (line) => console.log(line),
});

console.log(`
Local stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s
  API              ${stack.apiUrl}   (try ${stack.apiUrl}/health, ${stack.apiUrl}/openapi.json)
  DingTalk (local) ${stack.dingtalkUrl}   (received messages: ${stack.dingtalkUrl}/_local/messages)
  DynamoDB Local   ${stack.dynamodbEndpoint}
  SQS              ${stack.queueUrl}
Ctrl-C stops everything.`);

stopOnSignal(stack, () => console.log('\nStopping…'));
