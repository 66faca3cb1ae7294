import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { PageState } from "./PageState";
import { ApiError } from "../api/problem";

describe("PageState", () => {
  it("says what is loading, as a status", () => {
    render(<PageState loading label="Loading collections">content</PageState>);
    expect(screen.getByRole("status")).toHaveTextContent("Loading collections…");
    expect(screen.queryByText("content")).toBeNull();
  });

  it("shows an error as the problem in words, as an alert, even while loading", () => {
    const error = new ApiError(403, "Forbidden: the role 'viewer' may not do this; it needs 'admin'.");
    render(
      <PageState loading error={error}>
        content
      </PageState>,
    );
    expect(screen.getByRole("alert")).toHaveTextContent("Forbidden: the role 'viewer' may not do this; it needs 'admin'.");
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("shows the empty message when there is nothing", () => {
    render(
      <PageState empty emptyMessage={<p>No collections yet.</p>}>
        content
      </PageState>,
    );
    expect(screen.getByText("No collections yet.")).toBeInTheDocument();
    expect(screen.queryByText("content")).toBeNull();
  });

  it("shows the content otherwise", () => {
    render(<PageState loading={false} error={null} empty={false}>content</PageState>);
    expect(screen.getByText("content")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
