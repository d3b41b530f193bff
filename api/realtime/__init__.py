"""GraphQL subscriptions over WebSocket: the process's hub, the connection rules and the fields."""
