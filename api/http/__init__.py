"""The HTTP edge: the GraphQL request parser, ASGI middleware and the download endpoint."""
