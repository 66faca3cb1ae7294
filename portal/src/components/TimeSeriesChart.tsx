import { DataTable } from "./DataTable";

export interface Series {
  /** The line's name (legend, table column). */
  name: string;
  /** One value per time; null where there is nothing to plot (a gap, not a zero). */
  values: readonly (number | null)[];
  /** CSS colour of the line. */
  color: string;
}

interface TimeSeriesChartProps {
  /** Names the chart (figure caption, the image's accessible name, the table's caption). */
  title: string;
  /** The times of the points (ISO strings), oldest first. */
  times: readonly string[];
  series: readonly Series[];
  /** Formats a value for the axis, the table and the accessible summary. */
  format: (value: number) => string;
  /** Said instead of the chart when no series has a value above zero. */
  emptyMessage: string;
}

const width = 600;
const height = 160;
const pad = { top: 8, right: 8, bottom: 20, left: 56 };

function timeLabel(iso: string): string {
  return iso.slice(5, 16).replace("T", " ");
}

/**
 * A line chart as plain SVG (no chart library: it renders in tests and costs nothing to load), one line per series over
 * a shared time axis, with the numbers as a table behind it for screen readers and keyboards. The image's accessible
 * name summarises it (each series' latest and highest value); a series with nothing above zero leaves the chart empty.
 */
export function TimeSeriesChart({ title, times, series, format, emptyMessage }: TimeSeriesChartProps) {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = Math.max(0, ...all);
  if (max <= 0) {
    return (
      <figure className="ts-chart">
        <figcaption>{title}</figcaption>
        <p className="empty">{emptyMessage}</p>
      </figure>
    );
  }

  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (i: number) => pad.left + (times.length <= 1 ? plotW : (i * plotW) / (times.length - 1));
  const y = (v: number) => pad.top + plotH - (v / max) * plotH;
  const summary = series
    .map((s) => {
      const values = s.values.filter((v): v is number => v !== null);
      const latest = values.at(-1);
      return `${s.name}: latest ${latest === undefined ? "none" : format(latest)}, highest ${values.length ? format(Math.max(...values)) : "none"}`;
    })
    .join("; ");

  return (
    <figure className="ts-chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}. ${summary}. The table below has every point.`}>
        <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} className="ts-axis" />
        <line x1={pad.left} x2={width - pad.right} y1={y(max)} y2={y(max)} className="ts-grid" />
        <text x={pad.left - 4} y={y(max) + 4} textAnchor="end" className="ts-tick">
          {format(max)}
        </text>
        <text x={pad.left - 4} y={y(0)} textAnchor="end" className="ts-tick">
          {format(0)}
        </text>
        <text x={pad.left} y={height - 4} className="ts-tick">
          {times.length ? timeLabel(times[0]!) : ""}
        </text>
        <text x={width - pad.right} y={height - 4} textAnchor="end" className="ts-tick">
          {times.length ? timeLabel(times.at(-1)!) : ""}
        </text>
        {series.map((s) => (
          <g key={s.name} data-series={s.name} data-nonzero-points={s.values.filter((v) => v !== null && v > 0).length}>
            {segments(s.values).map((segment) => (
              <polyline
                key={segment[0]}
                fill="none"
                stroke={s.color}
                strokeWidth={2}
                points={segment.map((i) => `${x(i).toFixed(1)},${y(s.values[i]!).toFixed(1)}`).join(" ")}
              />
            ))}
            {/* A lone point between gaps is a dot, or it would not show. */}
            {segments(s.values)
              .filter((segment) => segment.length === 1)
              .map(([i]) => (
                <circle key={i} cx={x(i!)} cy={y(s.values[i!]!)} r={2.5} fill={s.color} />
              ))}
          </g>
        ))}
      </svg>
      <ul className="ts-legend">
        {series.map((s) => (
          <li key={s.name}>
            {/* A presentation attribute, not an inline style: the portal's CSP allows no inline styles. */}
            <svg className="ts-swatch" viewBox="0 0 12 12" aria-hidden="true">
              <rect width="12" height="12" rx="2" fill={s.color} />
            </svg>
            {s.name}
          </li>
        ))}
      </ul>
      <details>
        <summary>Show as a table</summary>
        <DataTable
          caption={title}
          rows={times.map((t, i) => ({ t, i }))}
          rowKey={(r) => r.t}
          columns={[
            { header: "Time (UTC)", cell: (r) => timeLabel(r.t) },
            ...series.map((s) => ({
              header: s.name,
              cell: (r: { i: number }) => (s.values[r.i] === null ? "—" : format(s.values[r.i]!)),
              numeric: true,
            })),
          ]}
        />
      </details>
    </figure>
  );
}

/** Runs of consecutive indexes with a value. */
function segments(values: readonly (number | null)[]): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (run.length) runs.push(run);
      run = [];
    } else {
      run.push(i);
    }
  });
  if (run.length) runs.push(run);
  return runs;
}
