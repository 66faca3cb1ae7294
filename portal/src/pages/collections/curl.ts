/** Quotes a string for a POSIX shell: single quotes, with each ' written as '\''. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The curl command that does what the playground did, with an API key instead of the person's token: the
 * key's path (`/v1/collections/...`, the tenant comes from the key) and `$PIRAMID_API_KEY` left to the shell.
 */
export function buildCurl(origin: string, collection: string, operation: "search" | "scroll", body: unknown): string {
  const url = `${origin.replace(/\/+$/, "")}/v1/collections/${encodeURIComponent(collection)}/${operation}`;
  return [
    `curl -sS -X POST ${shellQuote(url)}`,
    `  -H "Authorization: Bearer $PIRAMID_API_KEY"`,
    `  -H 'Content-Type: application/json'`,
    `  -d ${shellQuote(JSON.stringify(body))}`,
  ].join(" \\\n");
}
