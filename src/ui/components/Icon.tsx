/** Small decorative icons drawn as SVG (emoji-free, so they render with any font); hidden from screen readers. */
const paths = {
  run: 'M4 2.5v11l9-5.5z',
  pause: 'M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z',
  stop: 'M3 3h10v10H3z',
  step: 'M2.5 2.5v11l7-5.5zM11 2.5h2.5v11H11z',
} as const;

export function Icon({ name }: { name: keyof typeof paths }) {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
      <path d={paths[name]} fill="currentColor" />
    </svg>
  );
}
