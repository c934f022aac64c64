/** An error the edge answers with its own status and code (contract §2); its message is shown to the caller. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export const unauthorized = () => new HttpError(401, 'unauthorized', 'the request signature is missing or wrong');
export const notFound = (what = 'no such route') => new HttpError(404, 'not_found', what);
export const invalidJson = () => new HttpError(400, 'invalid_json', 'the body is not valid JSON');
export const payloadTooLarge = (limit: number) => new HttpError(413, 'payload_too_large', `the body is larger than ${limit} bytes`);
export const unsupportedMediaType = () => new HttpError(415, 'unsupported_media_type', 'the body must be application/json');
export const validationFailed = (details: { path: string; message: string }[]) =>
  new HttpError(400, 'validation_failed', 'the request does not match the schema', details);
