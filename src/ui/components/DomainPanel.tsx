import { useRunState } from '../hooks/useRunState.ts';
import { type DomainState, domainTotals, exchangeShare, rankStateLabel } from '../state/domainState.ts';
import './workers.css';

/** Milliseconds per step: 3 significant digits; `—` before the first timing. */
function ms(value: number, reported: boolean): string {
  if (!reported || !Number.isFinite(value)) return '—';
  return value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toPrecision(2);
}

function percent(share: number): string {
  return Number.isFinite(share) ? `${(100 * share).toFixed(1)} %` : '—';
}

function rate(value: number): string {
  return Number.isFinite(value) && value > 0 ? (value >= 100 ? value.toFixed(0) : value.toFixed(1)) : '—';
}

/**
 * The workers of a domain run (placement `domain`: one system split over a Px×Py×Pz grid): per rank
 * its place in the grid, state, atoms owned, ghost rows, owned NULL atoms, wall time per step in
 * exchanges and in force evaluation, the exchange share and its steps per second; the sums over
 * the grid above (every atom is owned by exactly one rank, so the owned atoms add up to the
 * system's). A failed rank is marked in words and its cause written out.
 */
export function DomainPanel({ domain }: { domain: DomainState }) {
  const nAtoms = useRunState((s) => s.nAtoms);
  const totals = domainTotals(domain);
  // Only a full set of reports of one step can be compared with the system's atom count (atoms
  // migrate between reports of different steps).
  const oneStep =
    totals.reported === domain.rows.length && domain.rows.every((r) => r.step === domain.rows[0]!.step);
  const mismatch = oneStep && domain.failure === null && totals.owned !== nAtoms;
  return (
    <section
      className="panel workers-panel domain-panel"
      aria-labelledby="domain-title"
      data-testid="domain-panel"
    >
      <h2 id="domain-title">
        Workers: one system split {domain.grid.join(' × ')}{' '}
        <span className="muted">({domain.rows.length} ranks)</span>
      </h2>
      <p data-testid="domain-totals">
        owned <strong data-testid="domain-owned">{totals.owned}</strong> of {nAtoms} atoms
        {mismatch && (
          <span className="worker-failure" data-testid="domain-owned-mismatch">
            {' '}
            (at step {domain.rows[0]!.step} the ranks own {totals.owned} atoms, the system has {nAtoms}: atoms
            lost or duplicated)
          </span>
        )}{' '}
        · ghosts <strong data-testid="domain-ghosts">{totals.ghosts}</strong>
        {totals.nullOwned > 0 && <> · NULL {totals.nullOwned}</>} · exchange{' '}
        <strong data-testid="domain-exchange-share">{percent(totals.exchangeShare)}</strong> of the step ·{' '}
        <span data-testid="domain-steps-per-second">{rate(totals.stepsPerSecond)}</span> steps/s (slowest
        rank)
      </p>
      {/* A narrow panel scrolls the table sideways: the keyboard reaches it (tabIndex) to scroll it. */}
      <section
        className="domain-table-wrap"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1)
        tabIndex={0}
        aria-label="Ranks of the worker grid (scrolls sideways)"
      >
        <table className="domain-table" aria-label="Ranks of the worker grid">
          <thead>
            <tr>
              <th scope="col">rank</th>
              <th scope="col" title="Grid coordinates (i, j, k) along a, b, c">
                box
              </th>
              <th scope="col">state</th>
              <th scope="col" title="Atoms this rank owns (NULL atoms included)">
                owned
              </th>
              <th scope="col" title="Ghost rows: copies of atoms within the ghost cutoff of its faces">
                ghosts
              </th>
              <th scope="col" title="Owned atoms of NULL type (invisible to the potential)">
                NULL
              </th>
              <th
                scope="col"
                title="Wall time per step in exchanges (forward, reverse, migration, borders, reductions), ms"
              >
                exch. ms
              </th>
              <th scope="col" title="Wall time per step in force evaluation, ms">
                force ms
              </th>
              <th scope="col" title="Exchange share of the step: exchange / (exchange + force evaluation)">
                exch. %
              </th>
              <th scope="col">steps/s</th>
            </tr>
          </thead>
          <tbody>
            {domain.rows.map((row) => {
              const failed = row.state === 'failed';
              return (
                <tr
                  key={row.rank}
                  className={`state-${row.state}`}
                  data-testid={`rank-${row.rank}`}
                  data-state={row.state}
                >
                  <th scope="row">{row.rank}</th>
                  <td data-testid={`rank-${row.rank}-coords`}>({row.coords.join(', ')})</td>
                  <td className="worker-state" data-testid={`rank-${row.rank}-state`}>
                    {failed ? '⚠ ' : ''}
                    {rankStateLabel[row.state]}
                    {row.failure && (
                      <span className="worker-failure" role="alert" data-testid={`rank-${row.rank}-failure`}>
                        {' '}
                        {row.failure.reason}: {row.failure.message}
                      </span>
                    )}
                  </td>
                  <td data-testid={`rank-${row.rank}-owned`}>{row.reported ? row.owned : '—'}</td>
                  <td data-testid={`rank-${row.rank}-ghosts`}>{row.reported ? row.ghosts : '—'}</td>
                  <td data-testid={`rank-${row.rank}-null`}>{row.reported ? row.nullOwned : '—'}</td>
                  <td data-testid={`rank-${row.rank}-exchange-ms`}>{ms(row.exchangeMs, row.reported)}</td>
                  <td data-testid={`rank-${row.rank}-compute-ms`}>{ms(row.computeMs, row.reported)}</td>
                  <td data-testid={`rank-${row.rank}-exchange-share`}>{percent(exchangeShare(row))}</td>
                  <td data-testid={`rank-${row.rank}-steps-per-second`}>{rate(row.stepsPerSecond)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </section>
  );
}
