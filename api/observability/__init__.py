"""Structured logs and the redaction of secrets and personal data from them."""
