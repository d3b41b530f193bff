"""Settings read from `TRIBUTARY_*` environment variables (documented in the README)."""
import ipaddress
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRIBUTARY_", extra="ignore")

    env: Literal["development", "production"] = Field(
        "development", description="development turns on GraphiQL, introspection and auto-seeding."
    )
    database_url: str | None = Field(
        None, description="postgresql:// URL of a PostgreSQL 15+ server; unset starts the embedded one."
    )
    data_dir: Path = Field(Path(".tributary"), description="Where the embedded PostgreSQL keeps its data.")
    database_name: str = Field("tributary", description="Database created on the embedded server.")
    host: str = "127.0.0.1"
    port: int = 8000
    trusted_proxies: str = Field(
        "", description="Comma-separated IP addresses and CIDR networks of the reverse proxies in front of the "
        "service. Only a request from one of them has its X-Forwarded-For read (the right-most address in it that "
        "is not a trusted proxy is the client); from anyone else the header is ignored. Empty (the default, also "
        "in development) trusts no one.")
    cors_origins: str = Field(
        "", description="Comma-separated origins (scheme://host[:port]) whose pages may call the API from a "
        "browser, or `*` for any. Development also allows every http://localhost and http://127.0.0.1 port. "
        "Credentials are bearer tokens, never cookies, so no origin is ever allowed credentials.")
    log_level: str = "INFO"
    pool_size: int = Field(10, ge=1, le=200, description="Connections per process for reads and writes each.")
    statement_timeout_ms: int = Field(5000, ge=100, description="Longest a single SQL statement may run.")
    max_depth: int = Field(12, ge=1)
    max_aliases: int = Field(30, ge=1)
    max_tokens: int = Field(2000, ge=1)
    max_cost: int = Field(5000, ge=1, description="Static cost limit of one operation (`maximumCost`).")
    max_body_bytes: int = Field(100_000, ge=1024)
    ws_max_message_bytes: int = Field(
        1_000_000, ge=1024, description="Largest WebSocket message a client may send (bigger ones close the "
        "connection with 1009).")
    ws_subscriptions_per_connection: int = Field(
        100, ge=1, description="Operations one WebSocket connection may run at once; more are refused with an "
        "error message, the connection stays open.")
    ws_connections_per_account: int = Field(
        20, ge=1, description="WebSocket connections one account may hold open on one server process; more are "
        "closed with 4429.")
    ws_session_check_seconds: float = Field(
        30, gt=0, description="How often an open WebSocket checks that its session is still live (it closes with "
        "4401 at the latest this long after a sign-out, and at the access token's expiry).")
    compiled_executor: bool = Field(
        True, description="Serve query operations from execution plans compiled once per document (falling "
        "back to graphql-core's executor for what a plan does not cover); off runs every operation the stock way.")
    compress_responses: bool = Field(
        True, description="Compress responses with brotli or gzip when the client accepts it (turn off when a "
        "reverse proxy in front compresses them).")
    compress_min_bytes: int = Field(
        1024, ge=0, description="Smallest response body, in bytes, that is compressed; smaller ones are sent as they "
        "are, as compressing them saves less than it costs.")
    cost_budget: int = Field(
        5000, ge=0, description="Query-cost points each caller (account, or address when anonymous) may spend "
        "at once (`throttleStatus.maximumAvailable`); 0 turns the budget off. Sized so that any operation under "
        "the cost limit runs on a full budget (docs/cost-limits.md).")
    cost_restore_rate: float = Field(250.0, gt=0, description="Points per second restored to each caller's budget.")
    persisted_queries: bool = Field(
        True, description="Accept Apollo's automatic persisted queries (a document registered once by its SHA-256 "
        "hash, then sent as the hash alone).")
    persisted_query_max_documents: int = Field(
        10_000, ge=100, description="Most automatic persisted queries kept; the least recently registered are "
        "pruned first (clients register them again).")
    persisted_query_ttl_days: int = Field(
        30, ge=1, le=3650, description="Automatic persisted queries not registered again for this long are pruned.")
    trusted_documents_only: Literal["off", "anonymous", "all"] = Field(
        "off", description="Who may run only trusted documents (`tributary documents register`): `anonymous` "
        "callers (no API client key, not signed in), `all` callers, or no one (`off`). API clients created with "
        "--trusted-documents-only are limited whatever this says.")
    seed_on_start: bool = Field(True, description="In development, seed an empty database when serving.")
    seed_books: int = Field(10_000, ge=1, le=10_000, description="Real books that serving seeds into an empty "
                            "database: the first N of the catalogue's 10,000, each with its editions and offers.")
    seed_customers: int = Field(2672, ge=0, le=2672, description="Demo customers (with their orders and reviews) "
                                "that serving seeds into an empty database: the first N of the rating histories.")
    secret_key: str | None = Field(
        None, min_length=32, description="Signs access tokens (HS256). Required in production; development "
        "keeps a generated one in TRIBUTARY_DATA_DIR/secret_key.")
    access_token_minutes: int = Field(10, ge=1, le=60, description="Lifetime of an access token.")
    refresh_token_days: int = Field(60, ge=1, le=365, description="A session ends this long after its last refresh.")
    password_reset_minutes: int = Field(30, ge=5, le=1440, description="Lifetime of a password reset token.")
    # Argon2id, at or above OWASP's minimum (19 MiB, 2 iterations, 1 lane).
    argon2_memory_kib: int = Field(19456, ge=19456)
    argon2_time_cost: int = Field(2, ge=2)
    argon2_parallelism: int = Field(1, ge=1)
    public_url: str = Field("http://localhost:8000", description="The service's address as clients reach it: the "
                            "base of links sent by e-mail and of the download and stream URLs the API returns.")
    email_backend: Literal["files"] = Field(
        "files", description="How e-mails are delivered: `files` writes each one as an .eml file into "
        "TRIBUTARY_DATA_DIR/mail/ (development; `tributary mail` lists them).")
    email_from: str = Field("Tributary <no-reply@localhost>", description="From: header of every e-mail.")
    run_worker_in_process: bool | None = Field(
        None, description="Run one job worker inside `tributary serve` (delivers e-mails without a second "
        "process). Unset means on in development, off in production (run `tributary worker` there).")
    worker_poll_seconds: float = Field(
        2.0, gt=0, le=300, description="How often an idle worker looks for due jobs; a new job also wakes it "
        "at once through PostgreSQL LISTEN/NOTIFY.")
    worker_batch_size: int = Field(10, ge=1, le=1000, description="Jobs a worker claims in one transaction.")
    job_timeout_seconds: float = Field(
        60.0, gt=0, description="A job running longer than this fails (and is retried with backoff).")
    payment_provider: Literal["test"] = Field(
        "test", description="Who authorizes, captures and refunds payments: `test` is the built-in test provider "
        "(documented test tokens such as tok_visa and tok_declined; it keeps its state in its own table and never "
        "moves real money).")
    payment_provider_timeout_seconds: float = Field(
        10.0, gt=0, le=120, description="A payment provider call taking longer than this fails as a provider error.")
    cart_quantity_limit: int = Field(
        10, ge=1, le=999, description="Most units of one offer a cart line (and so one order) may hold.")
    review_reports_per_day: int = Field(
        20, ge=1, le=10_000, description="Most reviews one account may report in 24 hours (RATE_LIMITED beyond).")
    question_reports_per_day: int = Field(
        20, ge=1, le=10_000, description="Most questions and answers (counted together) one account may report in 24"
        " hours (RATE_LIMITED beyond); review reports count apart, against TRIBUTARY_REVIEW_REPORTS_PER_DAY.")
    cart_max_lines: int = Field(100, ge=1, le=500, description="Most lines one cart may hold.")
    browsing_history_limit: int = Field(
        1000, ge=1, le=100_000, description="Most products one browsing history keeps; the oldest go as new ones come.")
    browsing_history_burst: int = Field(
        30, ge=1, le=10_000, description="Product views one browsing history may record at once (RATE_LIMITED beyond).")
    guest_browsing_history_days: int = Field(
        30, ge=1, le=3650, description="Days a guest's browsing history is kept after its last view or change; then it is"
        " deleted with its views, and its token is refused (NOT_FOUND) like any unknown one.")
    browsing_history_views_per_second: float = Field(
        2.0, gt=0, le=10_000, description="Product views per second one browsing history may record after its burst.")
    content_dir: Path | None = Field(
        None, description="Where the file-system content store keeps e-book and video files (default TRIBUTARY_DATA_DIR/content).")
    download_url_seconds: int = Field(300, ge=30, le=3600, description="How long a signed download URL stays valid.")
    return_window_days: int = Field(
        30, ge=1, le=365, description="Days after delivery during which a customer may ask to return physical items.")
    ebook_return_days: int = Field(
        7, ge=1, le=365, description="Days after purchase during which a customer may return an e-book read at most 10%.")
    licence_device_limit: int = Field(
        6, ge=1, le=100, description="Devices one licence may be used on at once, for licences issued from now on.")
    search_one_typo_min_length: int = Field(
        5, ge=1, le=40, description="Shortest query word in which search forgives one typo (an insertion, deletion, "
        "substitution or transposition).")
    search_two_typos_min_length: int = Field(
        9, ge=1, le=40, description="Shortest query word in which search forgives two typos.")
    recommendations_top_k: int = Field(
        50, ge=1, le=500, description="Related items the nightly recommendations job keeps per item (alsoBought, "
        "boughtTogether and what recommendedForYou sums).")
    review_min_spend: Decimal = Field(
        Decimal("50"), ge=0, le=100000, description="Amount (USD) a customer must have paid on their account in the "
        "last 12 months before writing a review, discounts not counted (Amazon's rule); 0 lets anyone signed in review.")
    review_daily_limit: int = Field(20, ge=1, le=10000, description="Most reviews one account may write per 24 hours.")
    review_vote_daily_limit: int = Field(
        200, ge=1, le=100000, description="Most helpful votes one account may cast per 24 hours.")
    question_daily_limit: int = Field(
        20, ge=1, le=10000, description="Most product questions one account may ask per 24 hours (RATE_LIMITED beyond).")
    answer_daily_limit: int = Field(
        50, ge=1, le=10000, description="Most answers to product questions one account may write per 24 hours "
        "(RATE_LIMITED beyond).")
    answer_vote_daily_limit: int = Field(
        200, ge=1, le=100000, description="Most helpful votes on answers one account may cast per 24 hours "
        "(RATE_LIMITED beyond; counted apart from votes on reviews).")
    prime_monthly_price: Decimal = Field(
        Decimal("14.99"), gt=0, le=100000, decimal_places=2, description="Price (USD) of a month of Prime "
        "(PRIME_MONTHLY); a change applies to each membership from its next charge.")
    prime_annual_price: Decimal = Field(
        Decimal("139.00"), gt=0, le=100000, decimal_places=2, description="Price (USD) of a year of Prime "
        "(PRIME_ANNUAL); a change applies to each membership from its next charge.")
    prime_trial_days: int = Field(
        30, ge=0, le=365, description="Length of the free Prime trial, given once per account ever; 0 gives none.")
    prime_trial_reminder_days: int = Field(
        3, ge=0, le=30, description="Days before a Prime trial ends that the member is told of the first charge.")
    prime_refund_days: int = Field(
        3, ge=0, le=30, description="Days after a Prime charge within which cancelling, with no benefit used since "
        "the charge, refunds it and ends the membership at once.")
    prime_borrow_limit: int = Field(
        10, ge=1, le=100, description="Most titles of the membership library a Prime member may have borrowed at once.")
    subscribe_reminder_days: int = Field(
        5, ge=0, le=30, description="Days before a Subscribe & Save delivery that the customer is e-mailed its price "
        "(the delivery is never charged more than that).")
    subscribe_payment_retry_days: int = Field(
        3, ge=0, le=14, description="Days after its date that a Subscribe & Save delivery whose payment was declined "
        "is retried (once a day); declined on the last, it is skipped and the customer e-mailed.")
    subscribe_discount_percent: int = Field(
        15, ge=0, le=90, description="Subscribe & Save discount (percent off the offer's price) on each delivery; with "
        "the tiered rule, the discount when enough subscriptions arrive on the same day.")
    subscribe_tiered: bool = Field(
        False, description="Tiered Subscribe & Save discount: TRIBUTARY_SUBSCRIBE_TIER_BASE_PERCENT, or "
        "TRIBUTARY_SUBSCRIBE_DISCOUNT_PERCENT when TRIBUTARY_SUBSCRIBE_TIER_THRESHOLD or more of a customer's "
        "subscriptions arrive on the same delivery day.")
    subscribe_tier_base_percent: int = Field(
        5, ge=0, le=90, description="Subscribe & Save discount (percent) below the tier threshold (tiered rule only).")
    subscribe_tier_threshold: int = Field(
        5, ge=1, le=100, description="Subscriptions arriving on one delivery day that earn the full discount "
        "(tiered rule only).")
    brand_campaign_interval_days: int = Field(
        7, ge=0, le=365, description="Least days between two campaigns of one brand: a campaign created within this "
        "many days of the brand's last one that was not rejected is refused (CAMPAIGN_TOO_SOON); 0 sets no limit.")
    brand_campaign_batch_size: int = Field(
        500, ge=1, le=5000, description="Followers a brand campaign's messages go to per batch: each batch is one job "
        "of the worker, sent and recorded in one transaction of its own.")
    default_delivery_country: str = Field(
        "US", pattern=r"^[A-Z]{2}$", description="Country (ISO 3166 code) of the product page's delivery estimate "
        "for callers who give no location and have no default address.")
    default_delivery_region: str = Field("", max_length=100, description="Region of that default location.")
    default_delivery_city: str = Field("", max_length=100, description="City of that default location.")
    default_delivery_postal_code: str = Field("", max_length=20, description="Postal code of that default location.")

    webhooks_allow_private_addresses: bool = Field(
        False, description="Let webhooks call private, loopback, link-local and reserved addresses (a receiver on "
        "the same machine or network, and the tests). Off, such a URL is refused at registration, and a host that "
        "resolves to one at delivery time is not called.")
    webhook_timeout_seconds: float = Field(
        5.0, gt=0, le=30, description="A webhook endpoint that has not answered within this many seconds counts as a "
        "failed try (retried with backoff).")
    webhook_retry_hours: int = Field(
        24, ge=1, le=168, description="How long a webhook delivery is retried, with exponential backoff (10 seconds "
        "doubling, at most an hour apart), before it is marked FAILED.")
    webhook_disable_after_hours: int = Field(
        24, ge=1, le=168, description="A webhook whose every try failed for this long is disabled (circuit breaker) and "
        "its owner e-mailed; `updateWebhook` with `enabled: true` turns it back on.")
    webhook_log_days: int = Field(
        30, ge=1, le=365, description="Finished webhook deliveries, and outbox events, are purged after this many days.")

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        """Each entry is an IP address or a CIDR network (host bits allowed, as in 10.0.0.1/8),
        written back in canonical form; anything else (a host name, `*`) stops the service at
        start rather than silently trusting no one, or everyone."""
        entries = []
        for entry in filter(None, (part.strip() for part in value.split(","))):
            try:
                entries.append(str(ipaddress.ip_network(entry, strict=False)) if "/" in entry
                               else str(ipaddress.ip_address(entry)))
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or a CIDR network") from None
        return ",".join(entries)

    @field_validator("cors_origins")
    @classmethod
    def _origins_are_origins(cls, value: str) -> str:
        """Each entry is `*` or an origin as a browser sends it (scheme, host and port only), written
        back as browsers write it (lower case, default port left out); a path or a typo stops the
        service at start instead of silently matching no browser."""
        entries = []
        for entry in filter(None, (part.strip() for part in value.split(","))):
            if entry == "*":
                entries.append(entry)
                continue
            try:
                parts = urlsplit(entry)
                port = parts.port
            except ValueError:
                raise ValueError(f"{entry!r} is not an origin (scheme://host[:port])") from None
            if (parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") or parts.query
                    or parts.fragment or parts.username is not None or entry.endswith(("?", "#"))):
                raise ValueError(f"{entry!r} is not an origin (scheme://host[:port], no path)")
            host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
            default = {"http": 80, "https": 443}[parts.scheme]
            entries.append(f"{parts.scheme}://{host}" + (f":{port}" if port not in (None, default) else ""))
        return ",".join(entries)

    @property
    def cors_origin_list(self) -> list[str]:
        """The allowed browser origins as configured (canonical; `*` for any; empty when none)."""
        return self.cors_origins.split(",") if self.cors_origins else []

    @property
    def trusted_proxy_list(self) -> list[str]:
        """The trusted proxies' addresses and networks (canonical; empty when none)."""
        return self.trusted_proxies.split(",") if self.trusted_proxies else []

    @property
    def content_root(self) -> Path:
        return self.content_dir if self.content_dir is not None else Path(self.data_dir) / "content"

    @property
    def development(self) -> bool:
        return self.env == "development"

    @property
    def worker_in_process(self) -> bool:
        """Whether `serve` runs a job worker in its own process."""
        return self.development if self.run_worker_in_process is None else self.run_worker_in_process


@lru_cache
def get_settings() -> Settings:
    return Settings()
