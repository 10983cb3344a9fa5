import { useEffect, useState } from 'react';
import { useApp } from '../appContext.ts';
import '../viewer/viewer.css';
import { useRunState } from '../hooks/useRunState.ts';
import { DEFAULT_TRACKED_SYSTEMS } from '../plots/logSeries.ts';
import { type CurveSpec, type PlotAbscissa, TimeSeriesPlot } from './TimeSeriesPlot.tsx';

const energyCurves: CurveSpec[] = [
  { column: 'potentialEnergy', label: 'potential (eV)', color: '#4e9af1' },
  { column: 'totalEnergy', label: 'total (eV)', color: '#e0b341' },
  { column: 'kineticEnergy', label: 'kinetic (eV)', color: '#e0603f', scale: 'y2' },
];
const temperatureCurves: CurveSpec[] = [
  { column: 'temperature', label: 'temperature (K)', color: '#5cc98a' },
];
const forceCurves: CurveSpec[] = [{ column: 'maxForce', label: 'max |F| (eV/Å)', color: '#c678dd' }];
/** Per-system energies are far smaller than the sums: the energy plot shows them alone. */
const noCurves: CurveSpec[] = [];

/**
 * Energy, temperature and max force against time or step (minimiser steps take no time), appended
 * from log records: totals over the live systems (sums of energies, atom-weighted mean temperature,
 * largest force), and with several systems, optionally each of the first ones seen by its system id.
 */
export function LivePlots() {
  const { client } = useApp();
  const nSystems = useRunState((s) => s.nSystems);
  const [perSystem, setPerSystem] = useState(false);
  const [x, setX] = useState<PlotAbscissa>('time');
  const [hidden, setHidden] = useState<ReadonlySet<number>>(() => new Set());
  const [tracked, setTracked] = useState<number[]>([]);
  const bySystem = perSystem && nSystems > 1;
  // The systems with their own series appear as the log goes: offer them as they come.
  useEffect(() => {
    if (!client || !bySystem) return;
    const poll = () =>
      setTracked((current) => {
        const ids = client.series.systemIds();
        return ids.length === current.length && ids.every((id, k) => id === current[k]) ? current : ids;
      });
    poll();
    const timer = setInterval(poll, 500);
    return () => clearInterval(timer);
  }, [client, bySystem]);
  const toggle = (id: number, show: boolean) =>
    setHidden((h) => {
      const next = new Set(h);
      if (show) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <div className="plots-panel">
      <div className="plots-options">
        <label>
          against{' '}
          <select data-testid="plots-x" value={x} onChange={(e) => setX(e.target.value as PlotAbscissa)}>
            <option value="time">time</option>
            <option value="step">step</option>
          </select>
        </label>
        {nSystems > 1 && (
          <label>
            <input
              type="checkbox"
              data-testid="plots-per-system"
              checked={perSystem}
              onChange={(e) => setPerSystem(e.target.checked)}
            />{' '}
            per system (the first {Math.min(nSystems, DEFAULT_TRACKED_SYSTEMS)} seen, by id)
          </label>
        )}
        {bySystem && tracked.length > 0 && (
          <fieldset className="plots-systems" data-testid="plots-systems">
            <legend>Systems shown</legend>
            {tracked.map((id) => (
              <label key={id}>
                <input
                  type="checkbox"
                  data-testid={`plots-system-${id}`}
                  checked={!hidden.has(id)}
                  onChange={(e) => toggle(id, e.target.checked)}
                />{' '}
                {id}
              </label>
            ))}
          </fieldset>
        )}
      </div>
      <div className="plots">
        {bySystem ? (
          <TimeSeriesPlot
            key="energy-by-system"
            title="Potential energy per system"
            yLabel="potential (eV)"
            curves={noCurves}
            systemColumn="potentialEnergy"
            testId="energy-plot"
            x={x}
            hiddenSystems={hidden}
          />
        ) : (
          <TimeSeriesPlot
            key="energy"
            title="Energy"
            yLabel="potential, total (eV)"
            y2Label="kinetic (eV)"
            curves={energyCurves}
            testId="energy-plot"
            x={x}
          />
        )}
        <TimeSeriesPlot
          title="Temperature"
          yLabel="T (K)"
          curves={temperatureCurves}
          testId="temperature-plot"
          x={x}
          {...(bySystem ? { systemColumn: 'temperature' as const, hiddenSystems: hidden } : {})}
        />
        <TimeSeriesPlot
          title="Max force"
          yLabel="max |F| (eV/Å)"
          curves={forceCurves}
          testId="max-force-plot"
          x={x}
          logScale
          {...(bySystem ? { systemColumn: 'maxForce' as const, hiddenSystems: hidden } : {})}
        />
      </div>
    </div>
  );
}
