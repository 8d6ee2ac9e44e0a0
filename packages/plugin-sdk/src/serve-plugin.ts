import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, ServerCredentials, status, type sendUnaryData, type ServerDuplexStream, type ServerUnaryCall } from '@grpc/grpc-js';
import type { Driver, DriverSession, ParamValue } from '@sqltrace/core';
import { APP_PROTOCOL_VERSIONS, formatHandshake, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from './handshake';
import { protocol } from './proto';
import { fromWire, type WireValue } from './values';
import { errorToWire, resultToWire, type WireError, type WireResult } from './wire-results';

/** What servePlugin makes its driver from: the URL and dialect the host configures. */
export type PluginDriverFactory = (config: { readonly url: string; readonly sourceDialect?: string }) => Driver | Promise<Driver>;

interface SessionRequest {
  readonly kind?: 'execute' | 'cancel';
  readonly execute?: {
    readonly id?: number;
    readonly sql?: string;
    readonly params?: readonly WireValue[];
    readonly prepared?: boolean;
    readonly discardRows?: boolean;
  };
}

interface SessionResponse {
  readonly id: number;
  readonly opened?: Record<string, never>;
  readonly result?: WireResult;
  readonly error?: WireError;
}

/**
 * Serves a Driver out of process, as a go-plugin gRPC plugin that `stb bench --driver plugin:PATH`
 * starts: checks the magic cookie and protocol versions, listens on a unix socket, serves
 * driver.proto, gRPC health and go-plugin's controller, and prints the handshake line. Run it as
 * a program's main; it returns once serving (the process then lives until the host shuts it down,
 * or its parent goes away).
 */
export async function servePlugin(create: PluginDriverFactory): Promise<void> {
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write('This program is a SQL Trace Bench driver plugin: `stb bench --driver plugin:PATH` starts it. It is not meant to be run directly.\n');
    process.exit(1);
  }
  const offered = (process.env.PLUGIN_PROTOCOL_VERSIONS ?? '1').split(',').map(Number);
  const version = Math.max(...offered.filter((v) => APP_PROTOCOL_VERSIONS.includes(v)));
  if (!Number.isFinite(version)) {
    process.stderr.write(
      `driver plugin: the host speaks driver protocol ${offered.join(', ')}; this plugin speaks ${APP_PROTOCOL_VERSIONS.join(', ')}. Upgrade the older of the two.\n`,
    );
    process.exit(1);
  }

  const { services } = protocol();
  const server = new Server();
  let driver: Driver | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'stb-plugin-'));
  const socket = join(dir, 'plugin.sock');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.forceShutdown();
    await driver?.destroy().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };

  server.addService(services.health, {
    check: (_call: ServerUnaryCall<unknown, unknown>, done: sendUnaryData<{ status: string }>) => done(null, { status: 'SERVING' }),
  });
  server.addService(services.controller, {
    shutdown: (_call: ServerUnaryCall<unknown, unknown>, done: sendUnaryData<Record<string, never>>) => {
      done(null, {});
      setImmediate(() => void stop());
    },
  });
  server.addService(services.driver, {
    configure: (call: ServerUnaryCall<{ url?: string; sourceDialect?: string }, unknown>, done: sendUnaryData<unknown>) => {
      Promise.resolve()
        .then(async () => {
          await driver?.destroy();
          driver = await create({ url: call.request.url ?? '', ...(call.request.sourceDialect ? { sourceDialect: call.request.sourceDialect } : {}) });
          done(null, { name: driver.name, dialect: driver.dialect, canPrepare: driver.prepare !== undefined, canCancel: true });
        })
        .catch((error: unknown) => done({ code: status.INVALID_ARGUMENT, details: error instanceof Error ? error.message : String(error) }));
    },
    prepare: (call: ServerUnaryCall<{ statements?: string[] }, unknown>, done: sendUnaryData<unknown>) => {
      if (driver?.prepare === undefined) return done({ code: status.UNIMPLEMENTED, details: 'this driver runs no setup SQL' });
      driver.prepare(call.request.statements ?? []).then(
        () => done(null, {}),
        (error: unknown) => done({ code: status.FAILED_PRECONDITION, details: JSON.stringify(errorToWire(error)) }),
      );
    },
    session: (call: ServerDuplexStream<SessionRequest, SessionResponse>) => serveSession(call, driver),
  });

  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix:${socket}`, ServerCredentials.createInsecure(), (error) => (error ? reject(error) : resolve())),
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());
  // No zombie: when the host dies without shutting us down, we are re-parented; then exit.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop();
  }, 500).unref();
  process.stdout.write(formatHandshake({ appVersion: version, network: 'unix', address: socket }));
}

/** One session: opened when the stream starts, statements in arrival order, closed when the host ends its side. */
function serveSession(call: ServerDuplexStream<SessionRequest, SessionResponse>, driver: Driver | undefined): void {
  if (driver === undefined) {
    call.write({ id: 0, error: { message: 'driver plugin: Session before Configure', code: 'internal' } });
    call.end();
    return;
  }
  let session: DriverSession | undefined;
  let chain: Promise<void> = driver.open().then(
    (opened) => {
      session = opened;
      call.write({ id: 0, opened: {} });
    },
    (error: unknown) => {
      call.write({ id: 0, error: errorToWire(error) });
      call.end();
    },
  );
  call.on('data', (request: SessionRequest) => {
    if (request.kind === 'cancel') {
      void session?.cancel?.().catch(() => undefined);
      return;
    }
    const execute = request.execute;
    if (execute === undefined) return;
    chain = chain.then(async () => {
      if (session === undefined) return;
      const id = execute.id ?? 0;
      try {
        const params = (execute.params ?? []).map((p) => fromWire(p)) as ParamValue[];
        const result = await session.execute(execute.sql ?? '', params, { prepared: execute.prepared === true, discardRows: execute.discardRows === true });
        call.write({ id, result: resultToWire(result, execute.discardRows === true) });
      } catch (error) {
        call.write({ id, error: errorToWire(error) });
      }
    });
  });
  const finish = () => {
    chain = chain.then(async () => {
      await session?.close().catch(() => undefined);
      session = undefined;
      call.end();
    });
  };
  call.on('end', finish);
  call.on('cancelled', finish);
}
