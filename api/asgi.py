"""ASGI entry point for servers: `uvicorn api.asgi:app`."""
from api.app import create_app
from api.observability.logging_setup import configure
from domain.shared.config import get_settings

configure(get_settings().log_level)
app = create_app()
