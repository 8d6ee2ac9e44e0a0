/** A sample series from Prometheus' HTTP API. */
export interface Series {
  readonly metric: Record<string, string>;
  readonly value?: [number, string];
  readonly values?: [number, string][];
}

async function api(base: string, path: string, params: Record<string, string>): Promise<Series[]> {
  const response = await fetch(`${base}${path}?${new URLSearchParams(params).toString()}`);
  const body = (await response.json()) as { status: string; error?: string; data?: { result: Series[] } };
  if (body.status !== 'success') throw new Error(`Prometheus ${path} ${JSON.stringify(params)}: ${body.error ?? response.status}`);
  return body.data!.result;
}

/** An instant query at `time` (Unix seconds; default now). */
export function query(base: string, expr: string, time?: number): Promise<Series[]> {
  return api(base, '/api/v1/query', { query: expr, ...(time !== undefined ? { time: String(time) } : {}) });
}

/** A range query over [start, end] (Unix seconds) every `step` seconds. */
export function queryRange(base: string, expr: string, start: number, end: number, step: number): Promise<Series[]> {
  return api(base, '/api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(step) });
}

/** Waits until `check` is true, asking every 250 ms, or throws after `timeoutMs` naming `what`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
