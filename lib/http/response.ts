import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export function json(statusCode: number, body?: unknown): APIGatewayProxyStructuredResultV2 {
  if (body === undefined) return { statusCode };
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}
