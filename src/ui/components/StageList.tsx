import { useRunState } from '../hooks/useRunState.ts';

/** The chain of stages, the current one highlighted. */
export function StageList() {
  const stages = useRunState((s) => s.stages);
  const current = useRunState((s) => s.stageIndex);
  return (
    <ol className="stage-list" aria-label="Stages" data-testid="stage-list">
      {stages.map((name, i) => (
        <li
          // biome-ignore lint/suspicious/noArrayIndexKey: a stage is identified by its position in the chain
          key={`${i}:${name}`}
          className={i === current ? 'active' : i < current ? 'done' : undefined}
          aria-current={i === current ? 'step' : undefined}
        >
          {name}
        </li>
      ))}
    </ol>
  );
}
