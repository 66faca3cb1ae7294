import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What one request to the scripted server carried. */
export interface Received {
  method: string;
  path: string;
  idempotencyKey?: string;
  authorization?: string;
  body: string;
  at: number;
}

export type Answer = (response: ServerResponse) => void;

/** A problem+json answer with an optional Retry-After in seconds. */
export function problem(status: number, type: string, retryAfterSeconds?: number): Answer {
  return (response) => {
    const headers: Record<string, string> = { "content-type": "application/problem+json" };
    if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
    response.writeHead(status, headers).end(JSON.stringify({
      type: `https://piramid.dev/problems/${type}`, title: "Scripted", status, detail: `scripted ${status}`, instance: "/scripted", trace_id: "00-abc-01",
    }));
  };
}

/** A 200 with a JSON body. */
export function json(body: unknown): Answer {
  return (response) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/**
 * A loopback HTTP server of our own that answers each request with the next scripted answer (the last repeats)
 * and records what each carried: answers the real platform cannot be made to give on demand.
 */
export async function scriptedServer(...answers: Answer[]) {
  const received: Received[] = [];
  let firstRequest!: () => void;
  const first = new Promise<void>((resolve) => (firstRequest = resolve));
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      received.push({
        method: request.method ?? "",
        path: request.url ?? "",
        idempotencyKey: request.headers["idempotency-key"] as string | undefined,
        authorization: request.headers.authorization,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      });
      firstRequest();
      answers[Math.min(received.length - 1, answers.length - 1)]!(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    first,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
