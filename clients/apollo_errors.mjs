// Apollo Client 4 (which asks for application/graphql-response+json first) against a running
// service: prints, for each operation given as JSON on the command line, one JSON line with the
// data it got and the name and GraphQL error codes of the error it reported.
// Usage: node apollo_errors.mjs http://127.0.0.1:8000/graphql '[{"query": "{ __typename }"}]'
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';

const [url, operations] = process.argv.slice(2);
const client = new ApolloClient({ link: new HttpLink({ uri: url }), cache: new InMemoryCache() });

for (const { query, variables } of JSON.parse(operations)) {
  const { data, error } = await client.query({
    query: gql(query), variables, fetchPolicy: 'no-cache', errorPolicy: 'all',
  });
  const codes = CombinedGraphQLErrors.is(error) ? error.errors.map((e) => e.extensions?.code) : [];
  console.log(JSON.stringify({ data: data ?? null, error: error?.name ?? null, codes }));
}
