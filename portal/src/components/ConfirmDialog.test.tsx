import { useState } from "react";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ConfirmDialog } from "./ConfirmDialog";
import { ApiError } from "../api/problem";

function Harness({ onConfirm }: { onConfirm: () => Promise<unknown> | void }) {
  const [open, setOpen] = useState(false);
  const [log, setLog] = useState<string[]>([]);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Delete books
      </button>
      <p data-testid="log">{log.join(",")}</p>
      {open && (
        <ConfirmDialog
          title="Delete collection books?"
          confirmLabel="Delete collection"
          typeToConfirm="books"
          onConfirm={async () => {
            await onConfirm();
            setLog((l) => [...l, "confirmed"]);
            setOpen(false);
          }}
          onCancel={() => {
            setLog((l) => [...l, "cancelled"]);
            setOpen(false);
          }}
        />
      )}
    </>
  );
}

describe("ConfirmDialog", () => {
  it("works only once the name is typed exactly", async () => {
    const user = userEvent.setup();
    let calls = 0;
    render(<Harness onConfirm={() => void calls++} />);
    await user.click(screen.getByRole("button", { name: "Delete books" }));

    const dialog = screen.getByRole("dialog", { name: "Delete collection books?" });
    const confirm = screen.getByRole("button", { name: "Delete collection" });
    const input = screen.getByLabelText(/Type books to confirm/);
    expect(dialog).toHaveAttribute("aria-modal", "true");
    expect(confirm).toBeDisabled();
    await user.type(input, "book");
    expect(confirm).toBeDisabled();
    await user.type(input, "s{Enter}");
    expect(calls).toBe(1);
    expect(screen.getByTestId("log")).toHaveTextContent("confirmed");
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("does nothing on Enter while the name is wrong", async () => {
    const user = userEvent.setup();
    let calls = 0;
    render(<Harness onConfirm={() => void calls++} />);
    await user.click(screen.getByRole("button", { name: "Delete books" }));
    await user.type(screen.getByLabelText(/Type books to confirm/), "Books{Enter}");
    expect(calls).toBe(0);
    expect(screen.getByRole("dialog")).toBeInTheDocument();
  });

  it("closes on Escape and gives focus back", async () => {
    const user = userEvent.setup();
    render(<Harness onConfirm={() => undefined} />);
    const opener = screen.getByRole("button", { name: "Delete books" });
    await user.click(opener);
    expect(screen.getByLabelText(/Type books to confirm/)).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.getByTestId("log")).toHaveTextContent("cancelled");
    expect(opener).toHaveFocus();
  });

  it("keeps focus inside with Tab and Shift+Tab", async () => {
    const user = userEvent.setup();
    render(<Harness onConfirm={() => undefined} />);
    await user.click(screen.getByRole("button", { name: "Delete books" }));
    const input = screen.getByLabelText(/Type books to confirm/);
    await user.type(input, "books");
    const cancel = screen.getByRole("button", { name: "Cancel" });
    const confirm = screen.getByRole("button", { name: "Delete collection" });
    await user.tab();
    expect(cancel).toHaveFocus();
    await user.tab();
    expect(confirm).toHaveFocus();
    await user.tab();
    expect(input).toHaveFocus();
    await user.tab({ shift: true });
    expect(confirm).toHaveFocus();
  });

  it("shows a refusal in words and stays open", async () => {
    const user = userEvent.setup();
    render(
      <Harness
        onConfirm={() => Promise.reject(new ApiError(403, "Forbidden: the role 'viewer' may not delete collections."))}
      />,
    );
    await user.click(screen.getByRole("button", { name: "Delete books" }));
    await user.type(screen.getByLabelText(/Type books to confirm/), "books{Enter}");
    await waitFor(() =>
      expect(screen.getByRole("alert")).toHaveTextContent("Forbidden: the role 'viewer' may not delete collections."),
    );
    expect(screen.getByRole("dialog")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Delete collection" })).toBeEnabled();
  });
});
