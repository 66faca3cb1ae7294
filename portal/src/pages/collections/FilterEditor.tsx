import { useId } from "react";
import { parseFilter } from "./filterText";

interface FilterEditorProps {
  value: string;
  onChange: (text: string) => void;
}

/** A JSON textarea for a metadata filter, saying at once when the text is not a JSON object. */
export function FilterEditor({ value, onChange }: FilterEditorProps) {
  const id = useId();
  const parsed = parseFilter(value);
  return (
    <div className="field">
      <label htmlFor={id}>Filter (JSON)</label>
      <textarea
        id={id}
        className="code"
        rows={4}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder='{"genre": "drama", "year": {"$gte": 2000}}'
        spellCheck={false}
        aria-invalid={parsed.ok ? undefined : true}
        aria-describedby={`${id}-hint`}
      />
      <span id={`${id}-hint`} className={parsed.ok ? "hint" : "field-error"}>
        {parsed.ok ? "Empty for all points. Operators: $eq $ne $gt $gte $lt $lte $in $nin $exists $and $or $not." : parsed.error}
      </span>
    </div>
  );
}
