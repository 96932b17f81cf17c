/**
 * A worker thread of an audience pass (run-pass.ts): builds the people of each batch it is sent,
 * evaluates them into its own share of the reports and the batch's upload rows, and when asked
 * hands over what its reports counted.
 */
import { workerData } from 'node:worker_threads';
import { AudiencePass, type PassOutput, type PassPlan } from '../core/audience/audience-pass.js';
import type { ReportState } from '../core/audience/report.js';
import { DESTINATIONS } from '../core/destinations/catalog.js';
import { applyOverrides, type DestinationOverrides } from '../core/destinations/destination-overrides.js';
import { loadValidatedRules } from '../engine/rules/load-rules.js';
import { serveTasks } from '../runtime/worker-pool.js';
import { passSettings } from './evaluation-settings.js';
import { buildPeople, type PeopleBatch } from './people-batch.js';

export interface PassWorkerData {
  readonly rulesText: string;
  /** The main thread's destination catalog, as overrides of the built-in one (overridesOf). */
  readonly destinations: DestinationOverrides;
  readonly plan: PassPlan;
}

export type PassTask = { readonly batch: PeopleBatch } | { readonly finish: true };

const { rulesText, destinations, plan } = workerData as PassWorkerData;
const rules = loadValidatedRules(rulesText);
const applied = applyOverrides(DESTINATIONS, destinations);
if (!applied.ok)
  throw new Error(`destination settings that applied once no longer apply: ${applied.problems.join('; ')}`);
const catalog = applied.catalog;
const pass = new AudiencePass(plan, passSettings(rules, catalog));

serveTasks((task: PassTask): PassOutput | ReportState[] =>
  'batch' in task ? pass.add(buildPeople(task.batch, rules.file, rules.normalizers)) : pass.states(),
);
