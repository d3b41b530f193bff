"""Who calls the API and with which documents: API client keys (a trusted server-side storefront
identifies itself and gets its own cost budget), automatic persisted queries (documents a client
registers by their SHA-256 hash, to send only the hash afterwards) and trusted documents (the
operations first-party clients ship, registered from their manifest by the operator)."""
