/**
 * A match-rate report run in the background (POST /v1/audiences/{id}/report-runs), followed until it
 * ends, so the page can show how far a large audience has come.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, api, enc } from '../api';
import type { MatchReport } from './report-types';

export interface RunProgress {
  readonly step: 'members' | 'people';
  readonly done: number;
  readonly total: number;
}

interface RunView {
  readonly runId: string;
  readonly status: 'running' | 'done' | 'failed';
  readonly progress: RunProgress;
  readonly report?: MatchReport;
  readonly error?: { code: string; message: string };
}

/** How often a running report is asked how far it has come. */
const POLL_MS = 300;

export function useReportRun(audience: string, destination: string) {
  const [state, setState] = useState<{ report?: MatchReport; error?: Error; progress?: RunProgress }>({});
  useEffect(() => {
    let current = true;
    setState({});
    const follow = async () => {
      let run = await api.post<RunView>(`/audiences/${enc(audience)}/report-runs`, { destination });
      while (current && run.status === 'running') {
        setState({ progress: run.progress });
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        run = await api.get<RunView>(`/report-runs/${enc(run.runId)}`);
      }
      if (!current) return;
      if (run.status === 'done' && run.report) setState({ report: run.report });
      else setState({ error: new ApiFailure(500, run.error?.code ?? 'REPORT_FAILED', run.error?.message ?? 'failed') });
    };
    follow().catch((error: Error) => current && setState({ error }));
    return () => {
      current = false;
    };
  }, [audience, destination]);
  return state;
}
