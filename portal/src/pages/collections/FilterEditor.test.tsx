import { useState } from "react";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { FilterEditor } from "./FilterEditor";

function Harness() {
  const [text, setText] = useState("");
  return <FilterEditor value={text} onChange={setText} />;
}

describe("FilterEditor", () => {
  it("marks invalid JSON and says why, then clears when fixed", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const box = screen.getByLabelText("Filter (JSON)");
    expect(box).not.toHaveAttribute("aria-invalid");
    await user.type(box, "[[1]");
    expect(box).toHaveAttribute("aria-invalid", "true");
    expect(box).toHaveAccessibleDescription(/must be a JSON object/);
    await user.clear(box);
    await user.type(box, '{{"genre": "drama"}');
    expect(box).not.toHaveAttribute("aria-invalid");
  });
});
