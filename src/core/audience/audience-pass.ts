/**
 * One pass over an audience's people serves every report asked for and at most one upload file:
 * each person is evaluated once per destination, the upload rows come from the evaluation its
 * report made. A pass sees a share of the people (a worker thread's batches, or all of them); its
 * report states combine with other passes' into the reports of the whole audience
 * (MatchReportBuilder.absorb), and its upload rows come back batch by batch for the caller to
 * write in order.
 */
import type { DestinationId } from '../destinations/destination-profile.js';
import { activationLines } from './activation-rows.js';
import { type EvaluationSettings, evaluatePerson, type PersonView } from './evaluate-person.js';
import type { AudiencePerson } from './person.js';
import { MatchReportBuilder, type ReportState } from './report.js';

export interface PassPlan {
  /** Destinations to report on. */
  readonly reports: readonly DestinationId[];
  /** The destination to make upload rows for, if any. */
  readonly upload?: DestinationId;
  /** The clock of the reports (the age of records), the same in every thread. */
  readonly nowMs: number;
}

/** The upload rows of one batch of people, as CSV lines, and how many people and rows they are. */
export interface PassOutput {
  readonly csv: string;
  readonly people: number;
  readonly rows: number;
}

/** How a destination sees values; `withUpload` when its upload form (hash) is needed. */
export type SettingsFor = (destination: DestinationId, withUpload: boolean) => EvaluationSettings;

export class AudiencePass {
  private readonly builders: MatchReportBuilder[];
  private readonly upload: { readonly settings: EvaluationSettings; readonly builder?: MatchReportBuilder } | undefined;

  constructor(plan: PassPlan, settingsFor: SettingsFor) {
    this.builders = plan.reports.map(
      (destination) => new MatchReportBuilder(settingsFor(destination, destination === plan.upload), plan.nowMs),
    );
    const at = plan.upload === undefined ? -1 : plan.reports.indexOf(plan.upload);
    this.upload =
      plan.upload === undefined
        ? undefined
        : at === -1
          ? { settings: settingsFor(plan.upload, true) }
          : { settings: (this.builders[at] as MatchReportBuilder).settings, builder: this.builders[at] };
  }

  add(people: readonly AudiencePerson[]): PassOutput {
    let csv = '';
    let sent = 0;
    let rows = 0;
    for (const person of people) {
      let view: PersonView | undefined;
      for (const builder of this.builders) {
        const seen = builder.add(person);
        if (builder === this.upload?.builder) view = seen;
      }
      if (!this.upload) continue;
      view ??= evaluatePerson(person.after, this.upload.settings);
      if (view.keys.length === 0) continue;
      sent++;
      const lines = activationLines(view, this.upload.settings.destination);
      csv += lines.text;
      rows += lines.rows;
    }
    return { csv, people: sent, rows };
  }

  /** What each report counted so far, in the order of the plan's destinations. */
  states(): ReportState[] {
    return this.builders.map((builder) => builder.state());
  }
}
