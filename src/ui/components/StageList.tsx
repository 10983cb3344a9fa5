import { useRunState } from '../hooks/useRunState.ts';
import type { SegmentCounts } from '../state/systemCounts.ts';

/** `3 running · 2 waiting · 5 done`, leaving out zeros (and everything when nothing happened yet). */
function segmentSummary(c: SegmentCounts | undefined, fused: boolean): string {
  if (!c) return '';
  const running = c.active.reduce((a, b) => a + b, 0);
  const converged = c.converged.reduce((a, b) => a + b, 0);
  const parts: string[] = [];
  if (running > 0) parts.push(`${running} running`);
  if (c.waiting > 0) parts.push(`${c.waiting} waiting`);
  if (!fused && converged > 0) parts.push(`${converged} converged`);
  if (c.done > 0) parts.push(`${c.done} done`);
  return parts.join(' · ');
}

/**
 * The pipeline's segments, the current one highlighted; a fused segment lists its sub-stages, those
 * holding systems highlighted. With several systems, each segment and sub-stage says how many
 * systems are in it, wait for it and are done with it (from the engine's batch, migrated,
 * graduated and converged events).
 */
export function StageList() {
  const segments = useRunState((s) => s.pipeline.segments);
  const current = useRunState((s) => s.stageIndex);
  const tracker = useRunState((s) => s.systems);
  const nSystems = useRunState((s) => s.nSystems);
  const showCounts = nSystems > 1;
  return (
    <ol className="stage-list" aria-label="Stages" data-testid="stage-list">
      {segments.map((segment, i) => {
        const counts = tracker?.counts[i];
        const summary = showCounts ? segmentSummary(counts, segment.fused) : '';
        return (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: a segment is identified by its position in the pipeline
            key={`${i}:${segment.name}`}
            className={i === current ? 'active' : i < current ? 'done' : undefined}
            aria-current={i === current ? 'step' : undefined}
            data-testid={`segment-status-${i}`}
          >
            {segment.name}
            {summary && (
              <span className="counts" data-testid={`segment-counts-${i}`}>
                {' '}
                ({summary})
              </span>
            )}
            {segment.fused && (
              <ol className="sub-stages" start={0} aria-label={`Sub-stages of ${segment.name}`}>
                {segment.subStages.map((sub, j) => {
                  const inIt = counts?.active[j] ?? 0;
                  const converged = counts?.converged[j] ?? 0;
                  const busy = i === current && inIt > 0;
                  const outside = j < segment.entry || j >= segment.exit;
                  return (
                    <li
                      // biome-ignore lint/suspicious/noArrayIndexKey: a sub-stage is identified by its status code
                      key={`${j}:${sub.name}`}
                      className={busy ? 'active' : outside ? 'skipped' : undefined}
                      data-testid={`sub-stage-status-${i}-${j}`}
                      title={outside ? 'outside the entry/exit status range: no system runs it' : undefined}
                    >
                      {sub.name}
                      {showCounts && (inIt > 0 || converged > 0) && (
                        <span className="counts" data-testid={`sub-stage-counts-${i}-${j}`}>
                          {' '}
                          (
                          {[inIt > 0 ? `${inIt} in it` : '', converged > 0 ? `${converged} converged` : '']
                            .filter(Boolean)
                            .join(' · ')}
                          )
                        </span>
                      )}
                    </li>
                  );
                })}
              </ol>
            )}
          </li>
        );
      })}
    </ol>
  );
}
