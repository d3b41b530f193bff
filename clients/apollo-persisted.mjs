// Apollo Client 4 with its persisted-query link against a running Tributary:
//   node apollo-persisted.mjs <base URL>
// Three clients with empty caches run the same named query: the first sends the hash alone,
// is told PERSISTED_QUERY_NOT_FOUND and sends the document with it; the second (as another
// visitor would, later) sends the hash alone and gets its answer; the third does the same over
// GET (useGETForHashedQueries). Prints one JSON object: each client's requests and data.
import { createHash } from "node:crypto";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";

const base = process.argv[2];
const PRODUCTS = gql`
  query FirstProducts($first: Int!) {
    products(first: $first) {
      nodes { id title }
    }
  }
`;

const sha256 = (text) => createHash("sha256").update(text).digest("hex");

function client(useGETForHashedQueries) {
  const requests = [];
  // Records what went over the wire: method, whether the document was sent, and the answer's code.
  const recordingFetch = async (url, init) => {
    const response = await fetch(url, init);
    const body = await response.clone().json();
    const sent = init.method === "GET" ? Object.fromEntries(new URL(url).searchParams) : JSON.parse(init.body);
    requests.push({ method: init.method, status: response.status, withDocument: Boolean(sent.query),
                    hash: (typeof sent.extensions === "string" ? JSON.parse(sent.extensions) : sent.extensions)
                      ?.persistedQuery?.sha256Hash ?? null,
                    code: body.errors?.[0]?.extensions?.code ?? null });
    return response;
  };
  const link = new PersistedQueryLink({ sha256, useGETForHashedQueries }).concat(
    new HttpLink({ uri: `${base}/graphql`, fetch: recordingFetch }));
  return { apollo: new ApolloClient({ link, cache: new InMemoryCache() }), requests };
}

const runs = [];
for (const useGET of [false, false, true]) {
  const { apollo, requests } = client(useGET);
  const { data, error } = await apollo.query({ query: PRODUCTS, variables: { first: useGET ? 3 : 2 } });
  if (error) throw error;
  runs.push({ useGETForHashedQueries: useGET, requests, titles: data.products.nodes.map((n) => n.title) });
}
console.log(JSON.stringify(runs));
