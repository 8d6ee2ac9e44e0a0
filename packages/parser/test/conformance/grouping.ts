import { Normalizer } from '@sqltrace/parser';

export interface GroupingCase {
  readonly input: string;
  /** The reference's group: a fingerprint or normalized text. */
  readonly group: string;
}

export interface GroupingMismatch {
  readonly a: string;
  readonly b: string;
  /** `split`: the reference groups them and we do not; `merged`: the other way round. */
  readonly kind: 'split' | 'merged';
}

/** Every pair on which our templates and the reference's grouping disagree. */
export function groupingMismatches(dialect: 'postgres' | 'mysql', cases: readonly GroupingCase[]): GroupingMismatch[] {
  const normalizer = new Normalizer({ dialect, analyze: false });
  const ids = cases.map((c) => normalizer.normalize(c.input).template.id);
  const out: GroupingMismatch[] = [];
  for (let i = 0; i < cases.length; i++) {
    for (let j = i + 1; j < cases.length; j++) {
      const reference = cases[i]!.group === cases[j]!.group;
      const ours = ids[i] === ids[j];
      if (reference !== ours) out.push({ a: cases[i]!.input, b: cases[j]!.input, kind: reference ? 'split' : 'merged' });
    }
  }
  return out;
}

/** Mismatches not explained by a documented difference (an input involved in it is excused). */
export function unexplained(mismatches: readonly GroupingMismatch[], excused: ReadonlyMap<string, string>): GroupingMismatch[] {
  return mismatches.filter((m) => !excused.has(m.a) && !excused.has(m.b));
}
