// Create a collection, upsert points with metadata, search with a filter.
// PIRAMID_URL and PIRAMID_API_KEY (an admin key), or GATEWAY_URL and DEMO_API_KEY from .piramid/local.json.
import { PiramidClient } from "../src/index.js";

const baseUrl = process.env.PIRAMID_URL ?? process.env.GATEWAY_URL;
const apiKey = process.env.PIRAMID_API_KEY ?? process.env.DEMO_API_KEY;
if (!baseUrl || !apiKey) {
  console.error("set PIRAMID_URL and PIRAMID_API_KEY (or GATEWAY_URL and DEMO_API_KEY)");
  process.exit(2);
}

const client = new PiramidClient({ baseUrl, apiKey });

// Creating it again with the same settings answers the existing collection, so the example can run twice.
const collection = await client.createCollection("quickstart-films", { dimension: 3, metric: "cosine", schema: { genre: "keyword", year: "integer" } });
console.log(`collection ${collection.name}: dimension ${collection.dimension}, metric ${collection.metric}`);

const written = await client.upsert("quickstart-films", [
  { id: "alien", vector: [0.9, 0.1, 0.3], metadata: { title: "Alien", genre: "horror", year: 1979 } },
  { id: "heat", vector: [0.2, 0.8, 0.4], metadata: { title: "Heat", genre: "crime", year: 1995 } },
  { id: "the-thing", vector: [0.8, 0.2, 0.35], metadata: { title: "The Thing", genre: "horror", year: 1982 } },
  { id: "scream", vector: [0.7, 0.3, 0.1], metadata: { title: "Scream", genre: "horror", year: 1996 } },
]);
console.log(`upserted ${written.count} points (lsn ${written.lsn})`);

const results = await client.search("quickstart-films", {
  vector: [0.85, 0.15, 0.3],
  top_k: 3,
  filter: { genre: "horror", year: { $lt: 1990 } },
});
for (const r of results) {
  const metadata = r.metadata as { title: string; year: number };
  console.log(`${r.score?.toFixed(4)}  ${r.id}  ${metadata.title} (${metadata.year})`);
}
