import { useEffect, useState } from "react";

interface CopyButtonProps {
  text: string;
  /** The button's name, e.g. "Copy key" or "Copy curl". */
  label?: string;
}

/** Copies text to the clipboard and says so; says so too when the browser refuses. */
export function CopyButton({ text, label = "Copy" }: CopyButtonProps) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = window.setTimeout(() => setState("idle"), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  }

  return (
    <>
      <button type="button" onClick={copy}>
        {label}
      </button>
      <span className="muted" role="status" aria-live="polite">
        {state === "copied" ? " Copied" : state === "failed" ? " Could not copy: select the text and copy it" : ""}
      </span>
    </>
  );
}
