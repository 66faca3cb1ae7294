import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { DataTable } from "../../components/DataTable";
import type { DayUnits } from "./usageDays";

const compact = new Intl.NumberFormat("en", { notation: "compact" });

/** Read and write units per day as bars, with the same numbers as a table for screen readers and keyboards. */
export function UsageChart({ days, title }: { days: DayUnits[]; title: string }) {
  return (
    <figure className="usage-chart">
      <figcaption>{title}</figcaption>
      <div className="chart" role="img" aria-label={`${title}: bar chart; the table below has the numbers`}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} minTickGap={12} />
            <YAxis allowDecimals={false} width={56} tickFormatter={(v: number) => compact.format(v)} />
            <Tooltip />
            <Legend />
            <Bar dataKey="read" name="Read units" fill="#1f5fbf" isAnimationActive={false} />
            <Bar dataKey="write" name="Write units" fill="#d97706" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details>
        <summary>Show as a table</summary>
        <DataTable
          caption={title}
          rows={days}
          rowKey={(d) => d.day}
          columns={[
            { header: "Day", cell: (d) => d.day },
            { header: "Read units", cell: (d) => d.read.toLocaleString("en"), numeric: true },
            { header: "Write units", cell: (d) => d.write.toLocaleString("en"), numeric: true },
          ]}
        />
      </details>
    </figure>
  );
}
