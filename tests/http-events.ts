/** API Gateway (HTTP API, payload 2.0) events for handler tests, signed like the ticket system signs them. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { sign } from '../lib/http/signature.js';

export const TEST_SECRET = 'unit-test-secret';

export interface ApiEventInput {
  method: string;
  path: string;
  routeKey?: string;
  pathParameters?: Record<string, string>;
  query?: string;
  body?: string | object;
  headers?: Record<string, string>;
  /** `false` for no signature, or a secret/timestamp to sign with. */
  signed?: false | { secret?: string; timestamp?: number };
}

export function apiEvent(input: ApiEventInput): APIGatewayProxyEventV2 {
  const body = input.body === undefined ? undefined : typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const headers: Record<string, string> = { ...(body !== undefined && typeof input.body === 'object' ? { 'content-type': 'application/json' } : {}) };
  if (input.signed !== false) {
    const timestamp = input.signed?.timestamp ?? Math.floor(Date.now() / 1000);
    const target = input.query ? `${input.path}?${input.query}` : input.path;
    headers['x-signature-timestamp'] = String(timestamp);
    headers['x-signature'] = sign(input.signed?.secret ?? TEST_SECRET, timestamp, input.method, target, body ?? '');
  }
  Object.assign(headers, input.headers);
  return {
    version: '2.0',
    routeKey: input.routeKey ?? `${input.method} ${input.path}`,
    rawPath: input.path,
    rawQueryString: input.query ?? '',
    headers,
    queryStringParameters: input.query ? Object.fromEntries(new URLSearchParams(input.query)) : undefined,
    pathParameters: input.pathParameters,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'example.com',
      domainPrefix: 'api',
      http: { method: input.method, path: input.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'req-1',
      routeKey: input.routeKey ?? `${input.method} ${input.path}`,
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    body,
    isBase64Encoded: false,
  };
}

export const lambdaContext = { awsRequestId: 'aws-req-1', functionName: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

export async function call(handler: (e: APIGatewayProxyEventV2, c: Context) => Promise<APIGatewayProxyStructuredResultV2>, input: ApiEventInput) {
  const response = await handler(apiEvent(input), lambdaContext);
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
}
