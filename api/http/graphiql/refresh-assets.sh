#!/usr/bin/env bash
# Replaces the vendored GraphiQL files in static/ with the versions below, taken from the npm
# registry with `npm pack`, licences included. Run it after changing a version, then update the
# table in VENDORED.md and run tests/api/http/test_graphiql.py.
set -euo pipefail

GRAPHIQL=3.8.3            # the last GraphiQL with a browser (UMD) bundle; 4+ need a bundler
REACT=18.3.1              # the last React with UMD builds, within GraphiQL 3's peer range
PLUGIN_EXPLORER=3.2.5     # the explorer plugin for GraphiQL 3.8 (@graphiql/react 0.28)
GRAPHIQL_EXPLORER=0.9.0   # bundled inside the plugin; only its licence is copied

here="$(cd "$(dirname "$0")" && pwd)"
static="$here/static"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
for package in "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" \
               "@graphiql/plugin-explorer@$PLUGIN_EXPLORER" "graphiql-explorer@$GRAPHIQL_EXPLORER"; do
  name="${package%@*}"
  mkdir -p "$work/${name//\//_}"
  tar xzf "$(npm pack "$package" --silent)" -C "$work/${name//\//_}"
done

cp graphiql/package/graphiql.min.js graphiql/package/graphiql.min.css "$static/"
cp react/package/umd/react.production.min.js "$static/"
cp react-dom/package/umd/react-dom.production.min.js "$static/"
cp @graphiql_plugin-explorer/package/dist/index.umd.js "$static/plugin-explorer.umd.js"
cp @graphiql_plugin-explorer/package/dist/style.css "$static/plugin-explorer.css"
mkdir -p "$static/licences"
cp graphiql/package/LICENSE "$static/licences/graphiql.LICENSE"  # also @graphiql/plugin-explorer's (same repository)
cp react/package/LICENSE "$static/licences/react.LICENSE"
cp react-dom/package/LICENSE "$static/licences/react-dom.LICENSE"
cp graphiql-explorer/package/LICENSE "$static/licences/graphiql-explorer.LICENSE"
echo "GraphiQL $GRAPHIQL, React $REACT, explorer plugin $PLUGIN_EXPLORER copied into $static"
