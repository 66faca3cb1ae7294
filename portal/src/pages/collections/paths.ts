/** The portal path of a collection's detail page, optionally on a tab. */
export function collectionPath(tenantId: string, name: string, tab?: "points" | "search"): string {
  const path = `/t/${encodeURIComponent(tenantId)}/collections/${encodeURIComponent(name)}`;
  return tab ? `${path}?tab=${tab}` : path;
}
