// A loopback TCP proxy in front of the live gateway that drops its first connections as scripted, then forwards
// every later one unchanged: "reset" resets before the request reaches the server; "lose-answer" forwards the
// request, waits for the server's whole answer, then resets the client (the work is done, the answer lost).
import { connect, createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export type Drop = "reset" | "lose-answer";

export interface DroppingProxy {
  url: string;
  /** Connections accepted so far. */
  connections: () => number;
  /** The answers the server sent on connections whose answer was lost. */
  lostAnswers: string[];
  close: () => Promise<void>;
}

export async function droppingProxy(target: string, ...drops: Drop[]): Promise<DroppingProxy> {
  const { hostname, port } = new URL(target);
  const lostAnswers: string[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((client) => {
    connections++;
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => undefined);
    const drop = drops.shift();
    if (drop === "reset") {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(port), hostname);
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    if (drop === "lose-answer") {
      client.on("data", (chunk) => upstream.write(chunk));
      let answer = Buffer.alloc(0);
      upstream.on("data", (chunk: Buffer) => {
        answer = Buffer.concat([answer, chunk]);
        if (!isComplete(answer.toString("latin1"))) return;
        lostAnswers.push(answer.toString("utf8"));
        client.resetAndDestroy();
        upstream.destroy();
      });
      return;
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    connections: () => connections,
    lostAnswers,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Whether `text` (one char per byte) holds a whole HTTP/1.1 answer, framed by Content-Length or chunked. */
function isComplete(text: string): boolean {
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return false;
  const headers = new Map(text.slice(0, end).split("\r\n").slice(1).map((line) => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as const;
  }));
  if ((headers.get("transfer-encoding") ?? "").includes("chunked")) return text.endsWith("0\r\n\r\n");
  return text.length >= end + 4 + Number(headers.get("content-length") ?? "0");
}
