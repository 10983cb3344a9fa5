import { useState } from 'react';
import { Composer } from '../composer/Composer.tsx';
import { ComposerContext, useNewComposerStore } from '../composer/composerState.ts';
import { ComposerInspector } from '../composer/Inspector.tsx';
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
import { SpecToolbar } from './SpecToolbar.tsx';
import { StatusPanel } from './StatusPanel.tsx';
import { SystemPanel } from './SystemPanel.tsx';
import { TrajectoryPanel } from './TrajectoryPanel.tsx';
import { TrajectoryScrubber } from './TrajectoryScrubber.tsx';
import { WorkersPanel } from './WorkersPanel.tsx';

/**
 * The page once WebGPU is known to work: viewer, controls, status, plots, the pipeline composer and
 * its inspector (the selected node's parameters).
 */
export function Workbench({ title }: { title: string }) {
  const [trajectoryView] = useState(() => new TrajectoryView());
  const composer = useNewComposerStore();
  return (
    <TrajectoryContext.Provider value={trajectoryView}>
      <ComposerContext.Provider value={composer}>
        <div className="workbench">
          <header>
            <h1>MD Workbench</h1>
            <p className="muted spec-name">{title}</p>
            <RunControls />
            <DownloadExtXyz />
            <SpecToolbar />
          </header>
          <DeviceLostBanner />
          <ErrorBanner />
          <main>
            <section className="view-column" aria-label="Atoms">
              <AtomView />
              <TrajectoryScrubber />
              <Composer />
              <LivePlots />
            </section>
            <aside className="side-column">
              <StatusPanel />
              <WorkersPanel />
              <TrajectoryPanel />
              <SystemPanel />
              <PotentialPanel />
              <ComposerInspector />
              <SpecJson />
            </aside>
          </main>
        </div>
      </ComposerContext.Provider>
    </TrajectoryContext.Provider>
  );
}
