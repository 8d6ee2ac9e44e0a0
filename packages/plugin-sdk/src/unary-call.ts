import type { ServiceError } from '@grpc/grpc-js';

type Unary = (request: unknown, options: { deadline?: number }, callback: (error: ServiceError | null, value?: unknown) => void) => void;

/** A unary gRPC call on a proto-loader client, as a promise; `timeoutMs` sets its deadline. */
export function unaryCall<T>(client: unknown, method: string, request: unknown, timeoutMs?: number): Promise<T> {
  return new Promise((resolve, reject) =>
    (client as Record<string, Unary>)[method]!(request, timeoutMs === undefined ? {} : { deadline: Date.now() + timeoutMs }, (error, value) =>
      error ? reject(error) : resolve(value as T),
    ),
  );
}
