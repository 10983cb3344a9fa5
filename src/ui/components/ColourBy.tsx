import { useStore } from '../hooks/useStore.ts';
import { type ColourMode, colourModes, viridisGradient } from '../viewer/colouring.ts';
import type { ViewController } from '../viewer/viewController.ts';

function formatForce(x: number): string {
  return x >= 0.01 && x < 1000 ? String(Number(x.toPrecision(3))) : x.toExponential(0);
}

/** The colour mode of the viewer and its legend (categories, or a colour scale with units). */
export function ColourBy({ controller }: { controller: ViewController }) {
  const mode = useStore(controller.store, (s) => s.mode);
  const legend = useStore(controller.store, (s) => s.legend);
  return (
    <div className="colour-by">
      <label>
        Colour by{' '}
        <select
          data-testid="colour-mode"
          value={mode}
          onChange={(e) => controller.setMode(e.target.value as ColourMode)}
        >
          {colourModes.map((m) => (
            <option key={m.mode} value={m.mode}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      <div className="colour-legend" data-testid="colour-legend" data-kind={legend.kind} aria-live="polite">
        {legend.kind === 'categories' && (
          <ul aria-label={legend.title}>
            {legend.items.map((item) => (
              <li key={`${item.label}-${item.colour}`}>
                <span className="swatch" style={{ background: item.colour }} aria-hidden="true" />
                {item.label}
              </li>
            ))}
          </ul>
        )}
        {legend.kind === 'scale' && (
          <figure
            className="colour-scale"
            aria-label={`${legend.title}, 0 to ${formatForce(legend.max)} ${legend.unit}`}
          >
            <span>0</span>
            <span className="bar" style={{ background: viridisGradient() }} aria-hidden="true" />
            <span data-testid="colour-scale-max">
              {formatForce(legend.max)} {legend.unit}
            </span>
          </figure>
        )}
        {legend.kind === 'note' && (
          <span className="muted" data-testid="colour-legend-note">
            {legend.note}
          </span>
        )}
      </div>
    </div>
  );
}
