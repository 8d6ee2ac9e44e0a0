import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { createApiServer } from '@sqltrace/api';
import { FsBlobStore, openRepository } from '@sqltrace/stores';

/** The OpenAPI document the server serves is valid OpenAPI 3.1 and covers the routes, each secured but the public ones. */
describe('OpenAPI document', () => {
  it('validates, lists every route with its schemas, and marks the public routes as needing no token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stb-openapi-'));
    const { repository } = await openRepository(`sqlite:${join(dir, 'stb.db')}`);
    const server = await createApiServer({ repository, blobs: new FsBlobStore(join(dir, 'blobs')) });
    await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      const document = (await (await fetch(`http://127.0.0.1:${(server.server.address() as { port: number }).port}/openapi.json`)).json()) as Record<
        string,
        any
      >;
      // (validate() dereferences in place: give it a copy.)
      await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
      expect(Object.keys(document.paths).sort()).toEqual([
        '/healthz',
        '/v1/benchmarks',
        '/v1/benchmarks/compare',
        '/v1/benchmarks/{id}',
        '/v1/benchmarks/{id}/results',
        '/v1/jobs/{id}',
        '/v1/jobs/{id}/events',
        '/v1/models',
        '/v1/models/{id}',
        '/v1/models/{id}/generate',
        '/v1/traces',
        '/v1/traces/{id}',
        '/v1/traces/{id}/download',
        '/v1/traces/{id}/templates',
        '/v1/validations',
        '/v1/validations/{id}',
        '/v1/validations/{id}/report.html',
      ]);
      expect(document.security).toEqual([{ bearer: [] }]);
      expect(document.paths['/healthz'].get.security).toEqual([]);
      expect(document.paths['/v1/models'].post.requestBody.content['application/json'].schema.required).toEqual(['traceId', 'strategy']);
    } finally {
      await server.close();
      await repository.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
