import { useState } from 'react';
import { TrajectoryContext } from '../trajectory/trajectoryContext.ts';
import { TrajectoryView } from '../trajectory/trajectoryView.ts';
import { AtomView } from './AtomView.tsx';
import { DeviceLostBanner } from './DeviceLostBanner.tsx';
import { DownloadExtXyz } from './DownloadExtXyz.tsx';
import { ErrorBanner } from './ErrorBanner.tsx';
import { LivePlots } from './LivePlots.tsx';
import { PotentialPanel } from './PotentialPanel.tsx';
import { RunControls } from './RunControls.tsx';
import { SpecJson } from './SpecJson.tsx';
import { StageForm } from './StageForm.tsx';
import { StatusPanel } from './StatusPanel.tsx';
import { SystemPanel } from './SystemPanel.tsx';
import { TrajectoryPanel } from './TrajectoryPanel.tsx';
import { TrajectoryScrubber } from './TrajectoryScrubber.tsx';

/** The page once WebGPU is known to work: viewer, controls, status, plots and the stage form. */
export function Workbench({ title }: { title: string }) {
  const [trajectoryView] = useState(() => new TrajectoryView());
  return (
    <TrajectoryContext.Provider value={trajectoryView}>
      <div className="workbench">
        <header>
          <h1>MD Workbench</h1>
          <p className="muted spec-name">{title}</p>
          <RunControls />
          <DownloadExtXyz />
        </header>
        <DeviceLostBanner />
        <ErrorBanner />
        <main>
          <section className="view-column" aria-label="Atoms">
            <AtomView />
            <TrajectoryScrubber />
            <LivePlots />
          </section>
          <aside className="side-column">
            <StatusPanel />
            <TrajectoryPanel />
            <SystemPanel />
            <PotentialPanel />
            <StageForm />
            <SpecJson />
          </aside>
        </main>
      </div>
    </TrajectoryContext.Provider>
  );
}
