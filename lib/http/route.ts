import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { Log } from '../core/ports.js';
import { logger } from '../logger.js';
import { errorResponse } from './error-envelope.js';
import { invalidJson, payloadTooLarge, unauthorized, unsupportedMediaType, validationFailed } from './errors.js';
import { json } from './response.js';
import { verify } from './signature.js';

export const MAX_BODY_BYTES = 64 * 1024;

/** What the edge itself needs from the composition root. */
export interface EdgeDeps {
  log: Log;
  signingSecrets: () => Promise<string[]>;
}

export interface RouteSpec<D, P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  /** Every route but `/health` and `/openapi.json` is signed (contract §1). */
  signed: boolean;
  params?: P;
  query?: Q;
  /** The body's schema, or a choice of schema by configuration (the ticket URL rule differs by stage). */
  body?: B | ((deps: D) => B);
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  event: APIGatewayProxyEventV2;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Builds an API Gateway (HTTP API) handler: size limit, signature, JSON body, schema validation, then `run`.
 * Every failure on the way becomes the contract's error envelope in one place (`errorResponse`).
 */
export function httpRoute<D extends EdgeDeps, P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  getDeps: () => Promise<D>,
  spec: RouteSpec<D, P, Q, B>,
  run: (input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>, deps: D) => Promise<RouteResult>,
): Handler {
  const edge: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> = {
    before: async (request) => {
      logger.appendKeys({ requestId: request.event.requestContext?.requestId, route: request.event.routeKey });
    },
    onError: async (request) => {
      request.response = errorResponse(request.error, logger);
    },
  };
  const limitBody: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> = {
    before: async (request) => {
      if (Buffer.byteLength(rawBody(request.event), 'utf8') > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
    },
  };
  const checkSignature: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> = {
    before: async (request) => {
      const deps = await getDeps();
      const event = request.event;
      const result = verify(
        {
          method: event.requestContext.http.method,
          pathsWithQuery: relativePaths(event),
          body: rawBody(event),
          timestamp: header(event, 'x-signature-timestamp'),
          signature: header(event, 'x-signature'),
        },
        await deps.signingSecrets(),
        Math.floor(Date.now() / 1000),
      );
      if (!result.ok) {
        deps.log.warn('request refused', { reason: result.reason });
        throw unauthorized();
      }
    },
  };

  const core = async (event: APIGatewayProxyEventV2) => {
    const deps = await getDeps();
    const bodySchema = typeof spec.body === 'function' ? spec.body(deps) : spec.body;
    const body = readJsonBody(event, rawBody(event), bodySchema !== undefined);
    const input = validate({ params: spec.params, query: spec.query, body: bodySchema }, event, body);
    const result = await run({ ...input, event }, deps);
    return json(result.status, result.body);
  };

  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(edge)
    .use(limitBody);
  if (spec.signed) handler.use(checkSignature);
  return handler.handler(core) as unknown as Handler;
}

/** The raw body as the caller sent it (HTTP APIs base64-encode bodies they do not consider text). */
function rawBody(event: APIGatewayProxyEventV2): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** Any body sent must be JSON; a route that takes none ignores what it was sent. */
function readJsonBody(event: APIGatewayProxyEventV2, raw: string, wanted: boolean): unknown {
  const type = header(event, 'content-type');
  if (raw !== '' && !isJson(type)) throw unsupportedMediaType();
  if (!wanted) return undefined;
  if (raw === '' && type !== undefined && !isJson(type)) throw unsupportedMediaType();
  try {
    return JSON.parse(raw);
  } catch {
    throw invalidJson();
  }
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType.trim());
}

function validate<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(spec: { params?: P; query?: Q; body?: B | undefined }, event: APIGatewayProxyEventV2, body: unknown) {
  const details: { path: string; message: string }[] = [];
  const check = <S extends z.ZodType>(schema: S | undefined, value: unknown): z.output<S> => {
    if (!schema) return undefined as z.output<S>;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) details.push({ path: issue.path.map(String).join('.') || '(body)', message: issue.message });
    return undefined as z.output<S>;
  };
  const params = check(spec.params, event.pathParameters ?? {});
  const query = check(spec.query, event.queryStringParameters ?? {});
  const parsedBody = check(spec.body, body);
  if (details.length > 0) throw validationFailed(details);
  return { params, query, body: parsedBody };
}

/**
 * The path as the caller signed it: relative to the API's base URL, so without a stage prefix, and the query
 * exactly as sent. API Gateway passes the query through untouched; serverless-offline re-encodes it
 * (`ids=p-1,p-2` arrives as `ids=p-1%2Cp-2`), so the spelling with the separators our ids and lists use
 * (`, : @`) unescaped is accepted too. Both spellings name the same request.
 */
export function relativePaths(event: APIGatewayProxyEventV2): string[] {
  const stage = event.requestContext.stage;
  let path = event.rawPath;
  if (stage && stage !== '$default' && path.startsWith(`/${stage}/`)) path = path.slice(stage.length + 1);
  if (!event.rawQueryString) return [path];
  const asSent = `${path}?${event.rawQueryString}`;
  const unescaped = `${path}?${event.rawQueryString.replace(/%2C/gi, ',').replace(/%3A/gi, ':').replace(/%40/g, '@')}`;
  return asSent === unescaped ? [asSent] : [asSent, unescaped];
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
