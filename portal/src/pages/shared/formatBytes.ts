/** A size in bytes as people read it: exact below 1 KiB, else one decimal in binary units; "—" when absent. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return "—";
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes.toLocaleString("en")} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
