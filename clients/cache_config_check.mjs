// Runs GraphQL documents through Apollo Client against a live server, with the cache
// configuration of docs/clients.md (or with none, to show what it prevents), then reads each
// document back from the cache alone.
//
// usage: node cache_config_check.mjs <server URL> <directory with cache-config.js and schema.json>
//                                    <documents.json: [{document, variables}]> [--without-config]
// Prints JSON: {warnings, cacheKeys, fromNetwork, fromCache}.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { relayStylePagination } from "@apollo/client/utilities";

const [url, configDir, documentsFile, flag] = process.argv.slice(2);
const { cacheConfig } = await import(pathToFileURL(path.join(configDir, "cache-config.js")).href);
const introspection = JSON.parse(readFileSync(path.join(configDir, "schema.json"), "utf8"));
const documents = JSON.parse(readFileSync(documentsFile, "utf8"));

// What Apollo Client warns about (lost cache data, unmatched fragments) is the point of the check.
const warnings = [];
for (const level of ["warn", "error"]) {
  console[level] = (...args) => warnings.push(args.map(String).join(" "));
}

const { possibleTypes, typePolicies } = cacheConfig(introspection);
const cache = flag === "--without-config" ? new InMemoryCache() : new InMemoryCache({
  possibleTypes,
  typePolicies: {
    ...typePolicies,
    Query: { fields: { search: relayStylePagination(["query", "filter", "sortKey", "reverse"]) } },
  },
});
const client = new ApolloClient({ link: new HttpLink({ uri: `${url}/graphql` }), cache });

const fromNetwork = [];
for (const { document, variables } of documents) {
  const { data } = await client.query({ query: gql(document), variables, fetchPolicy: "network-only" });
  fromNetwork.push(data);
}
const fromCache = documents.map(({ document, variables }) =>
  client.readQuery({ query: gql(document), variables }));

process.stdout.write(JSON.stringify({ warnings, cacheKeys: Object.keys(cache.extract()), fromNetwork, fromCache }));
