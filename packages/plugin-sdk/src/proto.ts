import { join } from 'node:path';
import { loadPackageDefinition, type GrpcObject, type ServiceClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/** The .proto files shipped in the package's proto/ folder (next to dist/ and src/). */
export function protoDir(): string {
  if (typeof __dirname !== 'string') throw new Error('@sqltrace/plugin-sdk: cannot find its proto/ folder in this bundle');
  return join(__dirname, '..', 'proto');
}

export interface Protocol {
  readonly Driver: ServiceClientConstructor;
  readonly Health: ServiceClientConstructor;
  readonly Controller: ServiceClientConstructor;
  readonly services: { readonly driver: ServiceDefinition; readonly health: ServiceDefinition; readonly controller: ServiceDefinition };
}

let loaded: Protocol | undefined;

/** driver.proto, go-plugin's controller and gRPC health, loaded once. */
export function protocol(): Protocol {
  if (loaded !== undefined) return loaded;
  const definition = loadSync(['driver.proto', 'go-plugin.proto', 'health.proto'], {
    includeDirs: [protoDir()],
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  const grpc = loadPackageDefinition(definition) as unknown as {
    sqltrace: { driver: { v1: { Driver: ServiceClientConstructor } } };
    plugin: { GRPCController: ServiceClientConstructor };
    grpc: { health: { v1: { Health: ServiceClientConstructor } } };
  } & GrpcObject;
  const Driver = grpc.sqltrace.driver.v1.Driver;
  const Controller = grpc.plugin.GRPCController;
  const Health = grpc.grpc.health.v1.Health;
  loaded = { Driver, Health, Controller, services: { driver: Driver.service, health: Health.service, controller: Controller.service } };
  return loaded;
}
