import type { FidelityReportJson } from '../report/fidelity-report';
import type { PropertyOutcome } from '../comparison/property';

/**
 * Hears about a validation as it happens (the Observer pattern): alert on a failed property, log
 * every verdict, or archive the report. Every method is optional.
 */
export interface ValidationObserver {
  onProperty?(result: PropertyOutcome): void;
  onPropertyFailed?(result: PropertyOutcome): void;
  onReport?(report: FidelityReportJson): void;
}
