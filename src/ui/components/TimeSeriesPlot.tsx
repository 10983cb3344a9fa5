import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useApp } from '../appContext.ts';
import type { SeriesColumn, SystemColumn } from '../plots/logSeries.ts';

/** One curve of a plot. */
export interface CurveSpec {
  column: SeriesColumn;
  label: string;
  color: string;
  /** uPlot scale key; curves on another scale get a right-hand axis. */
  scale?: string;
}

interface Props {
  title: string;
  /** Axis label of the main scale, with unit. */
  yLabel: string;
  /** Axis label of the secondary scale, if any curve uses one. */
  y2Label?: string;
  curves: CurveSpec[];
  testId: string;
  height?: number;
  /** Logarithmic main scale (for quantities spanning decades, like max force). */
  logScale?: boolean;
  /** Also draw this column of each system that has its own series (thin lines, main scale). */
  systemColumn?: SystemColumn;
  /** Abscissa: simulated time (default) or the step counted over the run (minimisers take no time). */
  x?: PlotAbscissa;
  /** System ids whose curves are hidden (with `systemColumn`). */
  hiddenSystems?: ReadonlySet<number>;
}

/** What plots are drawn against. */
export type PlotAbscissa = 'time' | 'step';
const abscissa: Record<PlotAbscissa, { column: SeriesColumn; label: string }> = {
  time: { column: 'timePs', label: 'time (ps)' },
  step: { column: 'step', label: 'step' },
};

/** Colours of per-system curves, cycled. */
const SYSTEM_COLORS = [
  '#7aa2f7',
  '#9ece6a',
  '#f7768e',
  '#e0af68',
  '#bb9af7',
  '#7dcfff',
  '#ff9e64',
  '#c0caf5',
];

/** Redraw rate limit: setData at most this often. */
const REDRAW_MS = 100;
const AXIS_TEXT = '#c5cfdb';
const AXIS_GRID = '#2a3340';

/** A live uPlot chart of log columns against time (ps) or step, redrawn at ≤ 10 Hz from typed arrays. */
export function TimeSeriesPlot({
  title,
  yLabel,
  y2Label,
  curves,
  testId,
  height = 180,
  logScale = false,
  systemColumn,
  x = 'time',
  hiddenSystems,
}: Props) {
  const { client } = useApp();
  const container = useRef<HTMLDivElement>(null);
  // Read on each redraw, so that showing or hiding a system does not rebuild the chart.
  const hidden = useRef(hiddenSystems);
  hidden.current = hiddenSystems;

  useEffect(() => {
    const el = container.current;
    if (!el || !client) return;
    const series = client.series;
    const grid = { stroke: AXIS_GRID, width: 1 };
    const axes: uPlot.Axis[] = [
      { label: abscissa[x].label, stroke: AXIS_TEXT, grid, ticks: grid },
      { label: yLabel, scale: 'y', stroke: AXIS_TEXT, grid, ticks: grid },
    ];
    if (y2Label) {
      // The secondary axis takes the colour of its curve, so it is clear which curve it measures.
      const color = curves.find((c) => c.scale === 'y2')?.color ?? AXIS_TEXT;
      axes.push({ label: y2Label, scale: 'y2', side: 1, stroke: color, grid: { show: false }, ticks: grid });
    }
    const plot = new uPlot(
      {
        width: Math.max(el.clientWidth, 200),
        height,
        legend: { live: false },
        scales: { x: { time: false }, y: logScale ? { distr: 3 } : {} },
        axes,
        series: [
          { label: abscissa[x].label },
          ...curves.map((c) => ({ label: c.label, stroke: c.color, width: 1.5, scale: c.scale ?? 'y' })),
        ],
      },
      [series.view(abscissa[x].column), ...curves.map((c) => series.view(c.column))],
      el,
    );
    // Systems get their curves as their series appear (the first ones seen in the log).
    let systems: number[] = [];
    const data = (): uPlot.AlignedData => [
      series.view(abscissa[x].column),
      ...curves.map((c) => series.view(c.column)),
      ...(systemColumn
        ? systems.map(
            (id) => series.systemView(id, systemColumn) ?? new Array<null>(series.length).fill(null),
          )
        : []),
    ];
    let drawn = -1;
    let shownKey = '';
    const redraw = () => {
      const key = systems.map((id) => (hidden.current?.has(id) ? 0 : 1)).join('');
      if (series.version === drawn && key === shownKey) return;
      drawn = series.version;
      if (systemColumn) {
        const ids = series.systemIds();
        // After a new load the series start again: drop curves of systems no longer first seen.
        if (systems.some((id, k) => ids[k] !== id)) {
          for (let k = systems.length; k > 0; k--) plot.delSeries(curves.length + k);
          systems = [];
        }
        for (const id of ids.slice(systems.length)) {
          const color = SYSTEM_COLORS[systems.length % SYSTEM_COLORS.length] ?? AXIS_TEXT;
          plot.addSeries({ label: `system ${id}`, stroke: color, width: 1, scale: 'y' });
          systems.push(id);
        }
      }
      plot.setData(data());
      systems.forEach((id, k) => {
        const show = !hidden.current?.has(id);
        const index = curves.length + 1 + k;
        if (plot.series[index]?.show !== show) plot.setSeries(index, { show });
      });
      shownKey = systems.map((id) => (hidden.current?.has(id) ? 0 : 1)).join('');
      el.dataset.points = String(series.length);
      el.dataset.systems = String(systems.length);
      el.dataset.shownSystems = String(systems.filter((id) => !hidden.current?.has(id)).length);
    };
    redraw();
    const timer = setInterval(redraw, REDRAW_MS);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height }));
    resize.observe(el);
    return () => {
      clearInterval(timer);
      resize.disconnect();
      plot.destroy();
    };
  }, [client, curves, yLabel, y2Label, height, logScale, systemColumn, x]);

  return (
    <figure className="panel plot">
      <figcaption>{title}</figcaption>
      <div ref={container} data-testid={testId} data-points="0" role="img" aria-label={`${title} plot`} />
    </figure>
  );
}
