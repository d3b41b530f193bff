// Starts GraphiQL on the page that loaded it (served at the GraphQL endpoint itself, so the
// endpoint is this page's address). A file of its own, not an inline script, so the page's
// Content-Security-Policy can refuse every inline script.
(function () {
  "use strict";

  var EXAMPLE = [
    "# Tributary's GraphQL API. Ctrl-Enter runs the operation; Ctrl-Space completes.",
    "# Signed-in fields need an `Authorization: Bearer <access token>` header (Headers tab).",
    "",
    "query SearchPage($query: String!) {",
    "  search(query: $query, first: 5) {",
    "    totalCount",
    "    nodes { id title slug featuredOffer { price { amount currencyCode } } }",
    "  }",
    "}",
    "",
  ].join("\n");
  var EXAMPLE_VARIABLES = '{"query": "harry potter"}';

  // The editors' contents live in the address (q, variables), so a link shares an operation.
  var parameters = {};
  new URLSearchParams(window.location.search).forEach(function (value, key) {
    parameters[key] = value;
  });

  function remember(changes) {
    Object.assign(parameters, changes);
    var search = new URLSearchParams();
    Object.keys(parameters).forEach(function (key) {
      if (parameters[key]) search.set(key, parameters[key]);
    });
    history.replaceState(null, "", "?" + search.toString());
  }

  var endpoint = window.location.origin + window.location.pathname;
  var socket = new URL(endpoint);
  socket.protocol = socket.protocol === "https:" ? "wss:" : "ws:";

  // Sends POST with Content-Type: application/json; subscriptions go over the WebSocket.
  var fetcher = GraphiQL.createFetcher({ url: endpoint, subscriptionUrl: socket.toString() });
  var explorer = GraphiQLPluginExplorer.explorerPlugin();

  function App() {
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      plugins: [explorer],
      defaultEditorToolsVisibility: true,
      defaultQuery: EXAMPLE,
      query: parameters.q,
      variables: parameters.variables || (parameters.q ? undefined : EXAMPLE_VARIABLES),
      onEditQuery: function (query) { remember({ q: query }); },
      onEditVariables: function (variables) { remember({ variables: variables }); },
      shouldPersistHeaders: false,
    });
  }

  ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(App));
})();
