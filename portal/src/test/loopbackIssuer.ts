import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the issuer saw, for assertions. */
export interface IssuerLog {
  tokenRequests: URLSearchParams[];
  revocations: URLSearchParams[];
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url");
}

/** An unsigned JWT: oidc-client-ts reads the id token's claims; the signature is the server's business. */
function jwt(claims: Record<string, unknown>): string {
  return `${base64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}.`;
}

async function readBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/**
 * A small OpenID provider on a free loopback port, enough for the portal's sign-in: discovery, the code exchange
 * (it checks the PKCE verifier against the challenge the authorize URL carried), revocation. Real HTTP, no mocks.
 */
export class LoopbackIssuer {
  readonly log: IssuerLog = { tokenRequests: [], revocations: [] };
  readonly code = "code-for-the-test";
  readonly accessToken = "access-token-SECRET-1";
  readonly refreshToken = "refresh-token-SECRET-2";
  /** The code_challenge of the authorization request the test followed. */
  expectedChallenge: string | undefined;
  private server: Server | undefined;
  origin = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private json(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*" });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", this.origin).pathname;
    if (req.method === "GET" && path === "/.well-known/openid-configuration") {
      return this.json(res, 200, {
        issuer: `${this.origin}/`,
        authorization_endpoint: `${this.origin}/connect/authorize`,
        token_endpoint: `${this.origin}/connect/token`,
        revocation_endpoint: `${this.origin}/connect/revocation`,
        end_session_endpoint: `${this.origin}/connect/logout`,
        jwks_uri: `${this.origin}/.well-known/jwks`,
        code_challenge_methods_supported: ["S256"],
      });
    }
    if (req.method === "POST" && path === "/connect/token") {
      const form = await readBody(req);
      this.log.tokenRequests.push(form);
      const verifier = form.get("code_verifier") ?? "";
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      if (form.get("grant_type") !== "authorization_code" || form.get("code") !== this.code || challenge !== this.expectedChallenge) {
        return this.json(res, 400, { error: "invalid_grant", error_description: "The code or the verifier is wrong." });
      }
      const now = Math.floor(Date.now() / 1000);
      return this.json(res, 200, {
        access_token: this.accessToken,
        token_type: "Bearer",
        expires_in: 900,
        scope: "openid offline_access",
        refresh_token: this.refreshToken,
        id_token: jwt({ iss: `${this.origin}/`, sub: "user-1", aud: form.get("client_id"), iat: now, exp: now + 900, email: "ada@example.com" }),
      });
    }
    if (req.method === "POST" && path === "/connect/revocation") {
      this.log.revocations.push(await readBody(req));
      res.writeHead(200, { "Access-Control-Allow-Origin": "*" });
      return res.end();
    }
    res.writeHead(404);
    res.end();
  }
}

/** A redirect navigator that records where the browser would go instead of leaving the test page. */
export function recordingNavigator() {
  const urls: string[] = [];
  return {
    urls,
    navigator: {
      prepare: async () => ({
        navigate: async ({ url }: { url: string }) => {
          urls.push(url);
          return {};
        },
        close: () => {},
      }),
      callback: async () => {},
    },
  };
}
