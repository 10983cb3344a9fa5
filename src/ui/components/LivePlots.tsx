import { type CurveSpec, TimeSeriesPlot } from './TimeSeriesPlot.tsx';

const energyCurves: CurveSpec[] = [
  { column: 'potentialEnergy', label: 'potential (eV)', color: '#4e9af1' },
  { column: 'totalEnergy', label: 'total (eV)', color: '#e0b341' },
  { column: 'kineticEnergy', label: 'kinetic (eV)', color: '#e0603f', scale: 'y2' },
];
const temperatureCurves: CurveSpec[] = [
  { column: 'temperature', label: 'temperature (K)', color: '#5cc98a' },
];
const forceCurves: CurveSpec[] = [{ column: 'maxForce', label: 'max |F| (eV/Å)', color: '#c678dd' }];

/** Energy, temperature and max force against time, appended from log records. */
export function LivePlots() {
  return (
    <div className="plots">
      <TimeSeriesPlot
        title="Energy"
        yLabel="potential, total (eV)"
        y2Label="kinetic (eV)"
        curves={energyCurves}
        testId="energy-plot"
      />
      <TimeSeriesPlot
        title="Temperature"
        yLabel="T (K)"
        curves={temperatureCurves}
        testId="temperature-plot"
      />
      <TimeSeriesPlot
        title="Max force"
        yLabel="max |F| (eV/Å)"
        curves={forceCurves}
        testId="max-force-plot"
        logScale
      />
    </div>
  );
}
