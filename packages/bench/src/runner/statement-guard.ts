import type { AllowedEffect, StatementClassifier, StatementEffect, StatementSafety, TraceEvent, TraceSource } from '@sqltrace/core';

/** Which statements a run may send. */
export interface SafetyPolicy {
  /** Classifies a statement (`classifyStatement` from @sqltrace/parser). */
  readonly classify: StatementClassifier;
  /**
   * Classes sent although they reach beyond the data: `admin` (server configuration, roles and
   * passwords, databases, files and programs, shutdown) and `ddl` (destructive DDL: DROP,
   * TRUNCATE, ALTER … DROP/RENAME). Default none: both are refused — not sent, counted, listed.
   */
  readonly allow?: readonly AllowedEffect[];
}

/** The statements a run refused to send, in its results. */
export interface RefusedStatements {
  readonly statements: number;
  readonly byEffect: Readonly<Partial<Record<StatementEffect, number>>>;
  /** Per template, most refused first (the first 50): what it is and how often. */
  readonly templates: readonly { readonly template: string; readonly effect: StatementEffect; readonly what: string; readonly count: number }[];
  /** The classes the run was allowed beyond reads and writes (`--allow`). */
  readonly allowed: readonly AllowedEffect[];
}

interface Verdict {
  readonly refused: boolean;
  readonly safety: StatementSafety;
  count: number;
}

/**
 * Applies a {@link SafetyPolicy} to a trace as it is read: refused statements are not sent (their
 * session goes on with its next one) and are counted per template. One verdict per template.
 */
export class StatementGuard {
  readonly #classify: StatementClassifier;
  readonly #allow: ReadonlySet<AllowedEffect>;
  readonly #verdicts = new Map<string, Verdict>();
  #refused = 0;

  constructor(policy: SafetyPolicy) {
    this.#classify = policy.classify;
    this.#allow = new Set(policy.allow ?? []);
  }

  /** True when the statement may be sent. */
  admits(event: TraceEvent): boolean {
    const key = event.templateId ?? event.sql;
    let verdict = this.#verdicts.get(key);
    if (verdict === undefined) {
      const safety = this.#classify(event.sql);
      const refused = (safety.effect === 'admin' && !this.#allow.has('admin')) || (safety.effect === 'ddl' && safety.destructive && !this.#allow.has('ddl'));
      this.#verdicts.set(key, (verdict = { refused, safety, count: 0 }));
    }
    if (!verdict.refused) return true;
    verdict.count++;
    this.#refused++;
    return false;
  }

  /** The trace without the statements this guard refuses. */
  filter(trace: TraceSource): TraceSource {
    const admits = (event: TraceEvent) => this.admits(event);
    return {
      name: trace.name,
      ...(trace.header ? { header: trace.header.bind(trace) } : {}),
      async *events(options) {
        for await (const event of trace.events(options)) if (admits(event)) yield event;
      },
    };
  }

  get refused(): number {
    return this.#refused;
  }

  toJSON(): RefusedStatements {
    const byEffect: Partial<Record<StatementEffect, number>> = {};
    const templates: { template: string; effect: StatementEffect; what: string; count: number }[] = [];
    for (const [template, v] of this.#verdicts) {
      if (!v.refused || v.count === 0) continue;
      byEffect[v.safety.effect] = (byEffect[v.safety.effect] ?? 0) + v.count;
      templates.push({ template, effect: v.safety.effect, what: v.safety.what, count: v.count });
    }
    templates.sort((a, b) => b.count - a.count);
    return { statements: this.#refused, byEffect, templates: templates.slice(0, 50), allowed: [...this.#allow] };
  }
}
