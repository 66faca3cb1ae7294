import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { BackupsPage, instantOf } from "./BackupsPage";
import { HttpStub, problem, renderWithStub } from "../../test/pageHarness";
import { me, TENANT_ID } from "../../test/managementFixtures";
import type { BackupInfo, OperationInfo } from "./backupQueries";

const page = { path: "/t/:tenantId/backups", url: `/t/${TENANT_ID}/backups` };

const completed: BackupInfo = {
  id: "bk_1",
  tenant_id: TENANT_ID,
  state: "completed",
  operation_id: "op_1",
  scheduled: true,
  size_bytes: 3 * 1024 * 1024,
  created_at: "2026-12-05T10:00:00Z",
  snapshot_at: "2026-12-05T10:00:01Z",
  collections: [{ name: "docs" }, { name: "archive" }],
};
const failed: BackupInfo = { ...completed, id: "bk_0", state: "failed", scheduled: false, collections: [] };

function operation(state: OperationInfo["state"], kind: OperationInfo["kind"] = "backup", extra = {}): OperationInfo {
  return { id: "op_2", tenant_id: TENANT_ID, kind, state, progress: { percent: 40 }, ...extra };
}

afterEach(() => vi.unstubAllGlobals());

describe("BackupsPage", () => {
  it("lists the backups with state, origin, size and collections, and offers restore only for completed ones", async () => {
    new HttpStub()
      .on("GET", "/v1/me", { json: me("owner") })
      .on("GET", "/v1/tenants/{id}/backups", { json: { backups: [completed, failed] } })
      .install();
    await renderWithStub(<BackupsPage />, page);
    const table = await screen.findByRole("table", { name: "Backups" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows[0]).toHaveTextContent("completed");
    expect(rows[0]).toHaveTextContent("schedule");
    expect(rows[0]).toHaveTextContent("3.0 MiB");
    expect(rows[0]).toHaveTextContent("docs, archive");
    expect(within(rows[0]!).getByRole("button", { name: "Restore" })).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent("failed");
    expect(within(rows[1]!).queryByRole("button", { name: "Restore" })).toBeNull();
  });

  it("gives a viewer the list without actions", async () => {
    new HttpStub()
      .on("GET", "/v1/me", { json: me("viewer") })
      .on("GET", "/v1/tenants/{id}/backups", { json: { backups: [completed] } })
      .install();
    await renderWithStub(<BackupsPage />, page);
    await screen.findByRole("table", { name: "Backups" });
    expect(screen.queryByRole("button", { name: "Back up now" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Restore" })).toBeNull();
    expect(screen.queryByRole("form", { name: "Point-in-time restore" })).toBeNull();
  });

  it("backs up now and follows the operation until it is done", async () => {
    let polls = 0;
    const http = new HttpStub()
      .on("GET", "/v1/me", { json: me("owner") })
      .on("GET", "/v1/tenants/{id}/backups", { json: { backups: [] } })
      .on("POST", "/v1/tenants/{id}/backups", { status: 202, json: operation("pending") })
      .on("GET", "/v1/tenants/{id}/operations/{op_id}", () => ({
        json: ++polls === 1 ? operation("running") : operation("succeeded"),
      }))
      .install();
    await renderWithStub(<BackupsPage />, page);
    await screen.findByText("No backups yet.");
    await userEvent.click(screen.getByRole("button", { name: "Back up now" }));
    await screen.findByText("Backup running: 40%.");
    await screen.findByText("Backup done.");
    expect(http.callsTo("POST", "/v1/tenants/{id}/backups")).toHaveLength(1);
  });

  it("restores a backup only after the tenant's id is typed, and shows a failed restore's reason", async () => {
    const http = new HttpStub()
      .on("GET", "/v1/me", { json: me("owner") })
      .on("GET", "/v1/tenants/{id}/backups", { json: { backups: [completed] } })
      .on("POST", "/v1/tenants/{id}/restore", { status: 202, json: operation("pending", "restore") })
      .on("GET", "/v1/tenants/{id}/operations/{op_id}", {
        json: operation("failed", "restore", {
          error: problem(422, "backup-corrupted", "Backup corrupted", "The object 'docs/vectors' does not match."),
        }),
      })
      .install();
    await renderWithStub(<BackupsPage />, page);
    await userEvent.click(await screen.findByRole("button", { name: "Restore" }));
    const dialog = screen.getByRole("dialog", { name: "Restore" });
    const confirm = within(dialog).getByRole("button", { name: "Restore" });
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByRole("textbox"), TENANT_ID);
    await userEvent.click(confirm);
    await screen.findByText("Restore failed.");
    expect(screen.getByRole("alert")).toHaveTextContent("The object 'docs/vectors' does not match.");
    expect(http.callsTo("POST", "/v1/tenants/{id}/restore")[0]!.body).toEqual({ backup_id: "bk_1" });
  });

  it("asks for a time before a point-in-time restore, then sends it as an instant", async () => {
    const http = new HttpStub()
      .on("GET", "/v1/me", { json: me("owner") })
      .on("GET", "/v1/tenants/{id}/backups", { json: { backups: [completed] } })
      .on("POST", "/v1/tenants/{id}/restore", { status: 202, json: operation("pending", "restore") })
      .on("GET", "/v1/tenants/{id}/operations/{op_id}", { json: operation("succeeded", "restore") })
      .install();
    await renderWithStub(<BackupsPage />, page);
    await screen.findByRole("table", { name: "Backups" });
    await userEvent.click(screen.getByRole("button", { name: "Restore to this time" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Choose the date and time to restore to.");
    await userEvent.type(screen.getByLabelText("Restore to"), "2026-12-05T11:30:00");
    await userEvent.click(screen.getByRole("button", { name: "Restore to this time" }));
    const dialog = screen.getByRole("dialog", { name: "Restore" });
    await userEvent.type(within(dialog).getByRole("textbox"), TENANT_ID);
    await userEvent.click(within(dialog).getByRole("button", { name: "Restore" }));
    await screen.findByText("Restore done.");
    await waitFor(() =>
      expect(http.callsTo("POST", "/v1/tenants/{id}/restore")[0]!.body).toEqual({ at: instantOf("2026-12-05T11:30:00") }),
    );
  });

  it("reads a local date and time as an instant, and nothing else", () => {
    expect(instantOf("2026-12-05T11:30:00")).toBe(new Date("2026-12-05T11:30:00").toISOString());
    expect(instantOf("")).toBeUndefined();
    expect(instantOf("yesterday")).toBeUndefined();
  });
});
