import { Flags } from '@oclif/core';
import { StbCommand } from '../shared/stb-command';

export interface ServeResult {
  url: string;
  store: string;
  blobs: string;
  schemaApplied: number[];
  failedJobs: number;
}

export default class Serve extends StbCommand<ServeResult> {
  static override summary = 'Run the REST API: traces, models, synthetic traces, validations and benchmarks as a service.';
  static override description = `Keeps what it makes in a repository (embedded SQLite in the user data directory by default, or PostgreSQL) and its files in a blob store (a directory, or S3), migrating the store on start. Long work runs as jobs with progress (Server-Sent Events) and cancellation. Every route but /healthz, /metrics and /docs needs "Authorization: Bearer <token>": on first start a token is made and printed once (or STB_API_TOKEN is accepted). OpenAPI at /openapi.json, docs at /docs. Runs until Ctrl-C.`;
  static override examples = [
    '<%= config.bin %> serve',
    '<%= config.bin %> serve --port 8080 --store postgres://stb@db:5432/stb --blobs s3://stb-blobs/prod',
    'STB_API_TOKEN=… <%= config.bin %> serve --host 0.0.0.0 --targets targets.json',
  ];

  static override flags = {
    port: Flags.integer({ summary: 'Port to listen on.', default: 8080 }),
    host: Flags.string({ summary: 'Address to listen on.', default: '127.0.0.1' }),
    store: Flags.string({ summary: 'Repository: sqlite:PATH or postgres://… (default: SQLite in the user data directory).' }),
    blobs: Flags.string({ summary: 'Blob store: a directory or s3://bucket/prefix (default: blobs/ in the user data directory).' }),
    targets: Flags.string({ summary: 'JSON file of named benchmark targets: {"name": {"driver": "postgres", "url": "postgres://…"}}.' }),
    'max-upload': Flags.integer({ summary: 'Largest upload, MB.', default: 1024 }),
    workers: Flags.integer({ summary: 'Jobs run at once.', default: 2 }),
  };

  async run(): Promise<ServeResult> {
    const { flags } = await this.parse(Serve);
    // Loaded here: the server's libraries are not every command's start-up cost.
    const { serve } = await import('@sqltrace/api');
    const serving = await serve({
      host: flags.host,
      port: flags.port,
      maxUploadBytes: flags['max-upload'] * 1024 * 1024,
      workers: flags.workers,
      ...(flags.store !== undefined ? { store: flags.store } : {}),
      ...(flags.blobs !== undefined ? { blobs: flags.blobs } : {}),
      ...(flags.targets !== undefined ? { targetsFile: flags.targets } : {}),
      ...(process.env.STB_API_TOKEN ? { token: process.env.STB_API_TOKEN } : {}),
    });
    this.say(`stb serve: listening on ${serving.url} (OpenAPI ${serving.url}/openapi.json, docs ${serving.url}/docs)`);
    this.say(
      `store ${serving.repository.location}${serving.schemaApplied.length > 0 ? ` (schema migrated: ${serving.schemaApplied.join(', ')})` : ''}; blobs ${serving.blobs.location}`,
    );
    if (serving.failedJobs > 0) this.warnLine(`${serving.failedJobs} job(s) were running when the server last stopped: marked failed`);
    if (serving.newToken !== undefined) this.say(`first API token (shown once, keep it): ${serving.newToken}`);
    // The first Ctrl-C stops cleanly (a second stops at once).
    await new Promise<void>((resolve) => {
      this.onInterrupt = () => resolve();
    });
    this.say('stopping: running jobs are cancelled, queued ones wait for the next start');
    await serving.close();
    return {
      url: serving.url,
      store: serving.repository.location,
      blobs: serving.blobs.location,
      schemaApplied: [...serving.schemaApplied],
      failedJobs: serving.failedJobs,
    };
  }
}
