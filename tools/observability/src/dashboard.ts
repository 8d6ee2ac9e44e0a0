import { readFileSync } from 'node:fs';

export interface DatasourceRef {
  readonly type?: string;
  readonly uid?: string;
}

export interface PanelTarget {
  readonly expr: string;
  readonly refId: string;
  readonly legendFormat?: string;
  readonly instant?: boolean;
  readonly datasource?: DatasourceRef;
}

export interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly datasource?: DatasourceRef;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly fieldConfig?: { readonly defaults?: { readonly unit?: string } };
  readonly targets: readonly PanelTarget[];
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly Panel[];
  readonly templating: {
    readonly list: readonly { readonly name: string; readonly datasource?: DatasourceRef; readonly query: { readonly query: string } | string }[];
  };
  readonly annotations: {
    readonly list: readonly { readonly name: string; readonly datasource?: DatasourceRef; readonly expr?: string; readonly builtIn?: number }[];
  };
}

export function readDashboard(path: string): Dashboard {
  return JSON.parse(readFileSync(path, 'utf8')) as Dashboard;
}

/** What Grafana would put for the dashboard's variables when a query runs. */
export interface Variables {
  /** The `run` variable: one run's label. */
  readonly run: string;
  /** `$__rate_interval` (Grafana: at least four scrape intervals), e.g. "20s". */
  readonly rateInterval: string;
  /** `$__range`: the time range shown, e.g. "60s". */
  readonly range: string;
}

/** A query as Grafana sends it: variables replaced (a run label is regex-escaped, as Grafana does for `=~`). */
export function expand(expr: string, v: Variables): string {
  return expr
    .replaceAll('$__rate_interval', v.rateInterval)
    .replaceAll('$__range', v.range)
    .replaceAll('$run', v.run.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&'));
}

/** Every query of the dashboard (panels' targets and annotations), with where it comes from. */
export function dashboardQueries(
  d: Dashboard,
): { readonly where: string; readonly expr: string; readonly instant: boolean; readonly panel?: Panel; readonly target?: PanelTarget }[] {
  const queries = d.panels.flatMap((panel) =>
    panel.targets.map((target) => ({
      where: `panel ${panel.id} "${panel.title}" ${target.refId}`,
      expr: target.expr,
      instant: target.instant === true,
      panel,
      target,
    })),
  );
  for (const a of d.annotations.list)
    if (a.expr !== undefined) queries.push({ where: `annotation "${a.name}"`, expr: a.expr, instant: false } as (typeof queries)[number]);
  return queries;
}
