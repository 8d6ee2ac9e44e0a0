import type { Dialect, ParamValue, Prng } from '@sqltrace/core';
import { compileTemplatePlan, renderPlan, type RenderStyle, type TemplatePlan } from '@sqltrace/parser';
import { EmpiricalDistribution } from '../distributions/empirical-distribution';
import { REUSE_WINDOW, type TemplateModelJson } from '../model/workload-profile';
import { SlotSampler } from '../params/slot-model';
import { transactionRole, type TransactionRole } from '../sessions/transaction-role';

/** A statement of the session drawn earlier: its template and its values per slot. */
export interface RecentValues {
  readonly state: number;
  readonly values: readonly ParamValue[];
}

/** A statement drawn from a template: what to write, and its slot values for the next statement's reuse. */
export interface DrawnStatement {
  readonly sql: string;
  readonly params?: ParamValue[];
  readonly durationUs?: number;
  /** Values per slot (index = slot - 1) of the first row. */
  readonly values: ParamValue[];
}

/** `value` + `by` in the value's own form (bind parameters are text), or undefined when it is not an integer. */
function shifted(value: ParamValue, by: number): ParamValue | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value + by : undefined;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return String(Number(value) + by);
  return undefined;
}

/** Renders one template with values drawn from its slot models, reusing values of the session's recent statements as the trace did. */
export class TemplateRenderer {
  readonly id: string;
  readonly role: TransactionRole;
  readonly #json: TemplateModelJson;
  readonly #plan: TemplatePlan;
  readonly #samplers: SlotSampler[];
  readonly #durations: EmpiricalDistribution | undefined;
  /** earlier state × REUSE_WINDOW + distance − 1 → per slot (0-based) a list of [earlier slot (0-based), probability]. */
  readonly #reuse = new Map<number, [number, number][][]>();
  readonly #style: RenderStyle;
  /** slot index (0-based) → [constant, share]: the value is the slot before plus the constant. */
  readonly #offsets = new Map<number, readonly [number, number]>();

  constructor(json: TemplateModelJson, dialect: Dialect, style: RenderStyle | 'auto') {
    this.id = json.id;
    this.#json = json;
    this.role = transactionRole(json.text);
    this.#plan = compileTemplatePlan(json.text, dialect);
    if (this.#plan.slots !== json.slots.length) throw new RangeError(`template ${json.id} has ${this.#plan.slots} placeholders but ${json.slots.length} slots`);
    if (json.params.length !== json.slots.length)
      throw new RangeError(`template ${json.id} has ${json.params.length} slot models for ${json.slots.length} slots`);
    this.#samplers = json.params.map((p) => new SlotSampler(p));
    this.#durations = json.durations ? EmpiricalDistribution.fromJSON(json.durations) : undefined;
    for (const [where, flat] of Object.entries(json.reuse ?? {})) {
      if (!/^\d+:\d+$/.test(where)) throw new RangeError(`template ${json.id} has a damaged reuse table`);
      const n = flat[0]!;
      if (!(n > 0) || (flat.length - 1) % 3 !== 0) throw new RangeError(`template ${json.id} has a damaged reuse table`);
      const bySlot: [number, number][][] = json.slots.map(() => []);
      for (let i = 1; i < flat.length; i += 3) {
        const slot = flat[i]! - 1,
          from = flat[i + 1]! - 1,
          count = flat[i + 2]!;
        if (bySlot[slot] === undefined || from < 0) throw new RangeError(`template ${json.id} has a damaged reuse table`);
        bySlot[slot]!.push([from, count / n]);
      }
      const [state, distance] = where.split(':').map(Number);
      if (!(distance! >= 1 && distance! <= REUSE_WINDOW)) throw new RangeError(`template ${json.id} has a damaged reuse table`);
      this.#reuse.set(state! * REUSE_WINDOW + distance! - 1, bySlot);
    }
    for (const [slot, offset] of Object.entries(json.offsets ?? {})) {
      const s = Number(slot) - 1;
      if (!(s >= 1 && s < json.slots.length) || !Array.isArray(offset) || !Number.isFinite(offset[0]) || !(offset[1]! >= 0 && offset[1]! <= 1))
        throw new RangeError(`template ${json.id} has a damaged offset table`);
      this.#offsets.set(s, offset);
    }
    this.#style = style === 'auto' ? json.style : style;
  }

  /** Draws a statement; `recent` holds the session's last statements, most recent first. */
  draw(prng: Prng, recent: readonly RecentValues[]): DrawnStatement {
    const slots = this.#json.slots;
    const values = new Array<ParamValue>(slots.length);
    const tables = this.#reuse.size > 0 ? recent.map((r, d) => this.#reuse.get(r.state * REUSE_WINDOW + d)) : [];
    for (let s = 0; s < slots.length; s++) {
      let value: ParamValue | undefined;
      if (tables.length > 0) {
        // The reuse cases are disjoint (each value was counted at its nearest match): one draw picks at most one.
        let u = prng.next();
        search: for (let d = 0; d < tables.length; d++) {
          const candidates = tables[d]?.[s];
          if (candidates === undefined) continue;
          for (const [from, p] of candidates) {
            if ((u -= p) < 0) {
              value = recent[d]!.values[from];
              break search;
            }
          }
        }
      }
      const offset = this.#offsets.get(s);
      if (value === undefined && offset !== undefined && prng.next() < offset[1]) value = shifted(values[s - 1]!, offset[0]);
      if (value === undefined) value = this.#samplers[s]!.sample(prng);
      if (slots[s] === 'list-length') value = Math.max(1, Math.round(Number(value)) || 1);
      values[s] = value;
    }
    const lengthOf = (slot: number) => values[slot - 1] as number;
    const rendered = renderPlan(
      this.#plan,
      lengthOf,
      (ref) => {
        if (ref.role === 'slot') return values[ref.slot - 1]!;
        const sampler = this.#samplers[ref.slot - 1]!;
        return ref.role === 'element' ? (sampler.elements ?? sampler).sample(prng) : sampler.sample(prng);
      },
      this.#style,
      (slot) => slots[slot - 1],
    );
    const durationUs = this.#durations !== undefined ? Math.max(0, Math.round(this.#durations.sample(prng))) : undefined;
    return {
      sql: rendered.sql,
      ...(rendered.params && rendered.params.length > 0 ? { params: rendered.params } : {}),
      ...(durationUs !== undefined ? { durationUs } : {}),
      values,
    };
  }
}
