import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { buildOpenApiDocument } from '../../lib/http/openapi.js';

const base = { STAGE: 's', USERS_TABLE: 'u', PROJECTS_TABLE: 'p', EVENTS_TABLE: 'e', EVENTS_QUEUE_URL: 'q' };

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({ DEFAULT_PHONE_REGION: 'VN', DEFAULT_LOCALE: 'vi', DINGTALK_API_URL: 'https://oapi.dingtalk.com', DINGTALK_RECHECK_SECONDS: 3600 });
  });

  it('fails fast naming every bad setting', () => {
    expect(() => loadConfig({ ...base, DEFAULT_LOCALE: 'fr', DINGTALK_API_URL: 'nope', USERS_TABLE: '' })).toThrow(
      /Invalid configuration: .*USERS_TABLE.*DINGTALK_API_URL.*DEFAULT_LOCALE/,
    );
  });

  it('refuses a DingTalk call rate above DingTalk\'s own limit', () => {
    expect(() => loadConfig({ ...base, DINGTALK_MAX_CALLS_PER_SECOND: '25' })).toThrow(/DINGTALK_MAX_CALLS_PER_SECOND/);
  });
});

describe('the OpenAPI document', () => {
  const doc = buildOpenApiDocument() as any;

  it('is OpenAPI 3.1 and describes every contract route', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/health',
        '/openapi.json',
        '/projects/dingtalk',
        '/projects/dingtalk/connect-all',
        '/projects/{projectId}/dingtalk',
        '/ticket-events/assignees-changed',
        '/ticket-events/comment-added',
        '/ticket-events/status-changed',
        '/ticket-events/{eventId}',
        '/users/{userId}/dingtalk',
        '/users/{userId}/dingtalk/test',
      ].sort(),
    );
  });

  it('is built from the validating schemas (limits and patterns included)', () => {
    const put = doc.components.schemas.PutUserDingTalkRequest;
    expect(put.required).toEqual(['phone']);
    expect(put.additionalProperties).toBe(false);
    expect(doc.components.schemas.Id.pattern).toBe('^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$');
    const comment = doc.components.schemas.CommentAdded;
    expect(comment.properties.comment.properties.body.maxLength).toBe(10000);
    expect(doc.paths['/users/{userId}/dingtalk/test'].post.responses['422']).toBeDefined();
  });
});
