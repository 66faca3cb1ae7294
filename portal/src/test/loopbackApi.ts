import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

/** An answer: status and JSON body (problem answers get `application/problem+json`). */
export type Reply = [status: number, body?: unknown];
export type Route = (request: Received) => Reply;

/** A small HTTP server on a free loopback port answering the routes a page test gives it; it records requests. */
export class LoopbackApi {
  readonly received: Received[] = [];
  private readonly routes = new Map<string, Route>();
  private server: Server | undefined;
  origin = "";

  /** `key` is "METHOD /path" (the query is not part of it). */
  on(key: string, route: Route | Reply): this {
    this.routes.set(key, typeof route === "function" ? route : () => route);
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const url = new URL(req.url ?? "/", "http://loopback");
        const received: Received = {
          method: req.method ?? "",
          path: url.pathname + url.search,
          authorization: req.headers.authorization,
          body: text ? JSON.parse(text) : undefined,
        };
        this.received.push(received);
        const route = this.routes.get(`${received.method} ${url.pathname}`);
        const [status, body] = route
          ? route(received)
          : [404, { type: "https://piramid.dev/problems/not-found", title: "Not found", status: 404, detail: `No route ${url.pathname}.` }];
        const problem = status >= 400 && typeof body === "object" && body !== null && "title" in body;
        res.writeHead(status, body === undefined ? {} : { "Content-Type": problem ? "application/problem+json" : "application/json" });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
