"""One place for configuration: environment variables prefixed CONNECTOR_, or a .env file.

settings = get_settings()
settings.chroma_dir  # where the local index lives
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, PrivateAttr, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

if TYPE_CHECKING:
    from connector.areas import Area

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Validated once at start-up; passed down rather than read from the environment again."""

    model_config = SettingsConfigDict(env_prefix="CONNECTOR_", env_file=".env", extra="ignore")

    _area: Area = PrivateAttr()
    _data_root: Path = PrivateAttr()

    # The LSIP area this process serves: a folder under areas_dir (see connector/areas.py). Its name,
    # Chamber, contact, towns, sectors, sources, guides and widget look all come from that folder. The
    # default is the one area name the code holds (the public contract: CONNECTOR_AREA defaults to it).
    area: str = "essex"  # the default area
    areas_dir: Path = PROJECT_ROOT / "areas"
    # Where everything the product writes lives; two data dirs never share state. The area's files go in
    # a subfolder named after it (data/<area>/...), so two areas never mix.
    data_dir: Path = Path("data")
    # A Chroma server (e.g. http://127.0.0.1:8000) instead of the local index under data_dir.
    chroma_url: str | None = None
    collection_name: str = ""  # default: skills-<area>, one collection per area
    # The product's own tables (questions, feedback, sessions, enquiries, outbox) in PostgreSQL, e.g.
    # postgresql://user:password@host/db; unset, they live in SQLite under data_dir (app_db_path).
    database_url: str | None = None
    # Retention, enforced by `connector purge`: questions (and their feedback), and enquiries.
    retain_questions_days: int = Field(default=365, ge=1, le=36500)
    retain_enquiries_days: int = Field(default=730, ge=1, le=36500)

    # Embedding model: the name is recorded in the collection so indexes from other models are refused.
    embedding_model: str = "all-MiniLM-L6-v2"
    embedding_batch_size: int = Field(default=32, ge=1, le=512)
    embedding_threads: int = Field(default=2, ge=1, le=64)
    # Threads per encode in the API server, which already works on several answers at once (answer slots):
    # a second thread per encode only spins waiting for a core that another answer holds (measured: 4x the
    # CPU per answer on a busy 2-core machine; the vectors are bit for bit the same).
    serving_embedding_threads: int = Field(default=1, ge=1, le=64)
    # The API server embeds with onnxruntime (about a third of torch's CPU for one question, the same
    # vectors); "torch" keeps sentence-transformers. The model is exported to ONNX once, into
    # model_cache_dir (default: <CONNECTOR_DATA_DIR>/models).
    serving_embedding_runtime: Literal["onnx", "torch"] = "onnx"
    model_cache_dir: Path | None = None
    # Passages are cut to fit the model's 256 word-piece window, with room for the title prefix.
    chunk_max_tokens: int = Field(default=200, ge=32, le=256)

    # Optional language model, "provider:model" as LangChain's init_chat_model takes it.
    llm: str | None = None
    llm_timeout_seconds: float = Field(default=20.0, gt=0)

    # Answering.
    retrieval_top_k: int = Field(default=5, ge=1, le=50)
    max_message_chars: int = Field(default=1000, ge=10, le=20000)
    # Answers worked on at once per process; the rest wait in arrival order (connector/admission.py).
    max_concurrent_answers: int = Field(default=4, ge=1, le=1000)
    session_ttl_seconds: int = Field(default=3600, ge=60)
    session_max_turns: int = Field(default=6, ge=1, le=50)
    session_max_count: int = Field(default=10_000, ge=10)
    # Requests bigger than this are refused with 413 before they are read in full.
    max_body_bytes: int = Field(default=16_384, ge=1024)
    # The OpenAI-compatible endpoint carries the whole conversation in each request, so it may be bigger.
    completions_max_body_bytes: int = Field(default=262_144, ge=1024)
    # A follow-up's passages also answer from this cosine up, and a message whose best passage is below
    # it names no topic of its own (docs/decisions/followups.md); the dense-only baseline (no passage
    # model) needs the strong one to answer (docs/decisions/relevance-floor.md).
    retrieval_min_similarity: float = Field(default=0.35, ge=-1, le=1)
    retrieval_strong_similarity: float = Field(default=0.50, ge=-1, le=1)
    # The best passage's fitted score (log of connector/passage_model.py's exp score) below which no
    # passage answers, however close in meaning; calibrated on the dev sets for the fitted weights in
    # corpus/answering/passage_model.json (docs/decisions/relevance-floor.md): refit, recalibrate.
    retrieval_passage_floor: float = Field(default=6.4)
    retrieval_candidates: int = Field(default=30, ge=5, le=200)
    # Source URLs (regexes) never used in an answer, e.g. a page under review.
    blocked_source_urls: Annotated[list[str], NoDecode] = Field(default_factory=list)
    llm_max_tokens: int = Field(default=600, ge=50, le=4000)
    max_answer_chars: int = Field(default=4000, ge=200)

    # Who a person can talk to when the product cannot help: from the area's area.yaml. Setting one of
    # these replaces the area's value (kept for installs from before areas; prefer editing area.yaml).
    area_name: str = ""
    chamber_name: str = ""
    chamber_contact_email: str = ""
    chamber_contact_phone: str = ""
    chamber_contact_url: str = ""

    # Employers' enquiries: the provider directory (default: the area's providers.yaml) and how many
    # providers one enquiry goes to.
    providers_file: Path = Path("providers.yaml")
    enquiry_max_providers: int = Field(default=3, ge=1, le=20)
    # A provider whose closest course is less similar than this to the need is not matched at all.
    enquiry_min_similarity: float = Field(default=0.25, ge=-1, le=1)
    # Nearness halves the score at this distance; a provider without the stated level is scaled down.
    enquiry_distance_scale_miles: float = Field(default=15.0, gt=0)
    enquiry_other_level_factor: float = Field(default=0.8, ge=0, le=1)

    # Email through SMTP. Unset host: emails wait in the outbox (nothing is lost) until one is set.
    smtp_host: str | None = None
    smtp_port: int | None = Field(default=None, ge=1, le=65535)  # default: 25, 587 (starttls), 465 (tls)
    smtp_tls: Literal["none", "starttls", "tls"] = "starttls"
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    smtp_timeout_seconds: float = Field(default=20.0, gt=0)
    # A failed send is retried after outbox_backoff_seconds, doubling each time up to the cap, and given
    # up (state "failed", shown to staff, resendable) after outbox_max_attempts.
    outbox_max_attempts: int = Field(default=8, ge=1, le=100)
    outbox_backoff_seconds: float = Field(default=60.0, ge=0)
    outbox_backoff_max_seconds: float = Field(default=6 * 3600.0, ge=0)
    # How often `connector serve` and `connector outbox send` look for emails that became due.
    outbox_poll_seconds: float = Field(default=30.0, gt=0)

    # Crawling.
    sources_file: Path = Path("sources.yaml")  # default: the area's sources.yaml
    user_agent: str = "SkillsConnectorBot/0.1 (+https://github.com/skills-connector)"
    crawl_max_pages: int = Field(default=500, ge=1)
    crawl_max_depth: int = Field(default=3, ge=0)
    crawl_concurrency: int = Field(default=4, ge=1, le=64)
    crawl_requests_per_second: float = Field(default=2.0, gt=0)
    crawl_timeout_seconds: float = Field(default=15.0, gt=0)
    crawl_max_bytes: int = Field(default=10_000_000, ge=1000)
    crawl_retries: int = Field(default=2, ge=0, le=10)
    # First retry waits this long, doubling each time; a server's Retry-After is honoured up to the cap.
    crawl_backoff_seconds: float = Field(default=1.0, ge=0)
    crawl_retry_after_max_seconds: float = Field(default=30.0, ge=0)
    # Requests in flight at once to one host (politeness; the rate limit applies as well).
    crawl_host_concurrency: int = Field(default=1, ge=1, le=16)

    # Serving.
    # Logs: one JSON object per line (for a log store) or plain text (for a terminal); level by name.
    log_format: Literal["json", "text"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # API processes `connector serve` runs on the one port (uvicorn's workers). Answering is mostly Python,
    # which runs on one core per process, so one process per core gives the machine's throughput
    # (docs/decisions/serving-under-load.md); each holds its own model and lexical index (about 0.9 GB).
    workers: int = Field(default=1, ge=1, le=64)
    # NoDecode: the comma-separated form is split by the validator below, not parsed as JSON.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Bearer keys for the integration endpoints (/v1/chat/completions, /v1/models, /mcp), comma-separated;
    # unset, those endpoints are open like /v1/chat.
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)

    # Admin for Chamber staff (/admin). No default credentials: with neither a password hash nor a trusted
    # header with allowed users, /admin says it is not configured and logs nobody in.
    admin_password_hash: str | None = None  # from `connector admin hash-password`
    # Signs the admin session cookie; unset, a random key per process (sessions end at a restart).
    admin_secret: str | None = None
    # A header an authenticating proxy sets (e.g. X-Forwarded-Email), honoured only when set, and only for
    # the listed users. The proxy must strip it from incoming requests.
    admin_trusted_header: str | None = None
    admin_allowed_users: Annotated[list[str], NoDecode] = Field(default_factory=list)
    admin_session_hours: float = Field(default=8.0, gt=0, le=720)
    # Wrong passwords allowed per client address before it gets 429 (the `limits` notation).
    admin_login_rate: str = "5/minute;50/day"

    # Limits per client (its address; see forwarded_allow_ips), in the `limits` notation, several joined
    # by ";", empty for none. Chat covers /v1/chat, /v1/chat/completions and the MCP ask tool: each
    # question may cost a language-model call. A person asks a few a minute; a script asks hundreds.
    chat_rate: str = "20/minute;300/day"
    # Enquiries fill the table and send emails to providers: a few a day is what an employer needs.
    enquiry_rate: str = "5/minute;20/day"
    # Where the counts live: memory:// (per process), or a store every API process shares, e.g.
    # redis://host:6379, memcached://host:11211, mongodb://host:27017 (its client package installed).
    rate_limit_storage: str = "memory://"
    # Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (uvicorn's forwarded_allow_ips):
    # comma-separated addresses or networks, or "*" behind a proxy that strips what clients send.
    forwarded_allow_ips: str = "127.0.0.1"

    @field_validator("cors_origins", "blocked_source_urls", "admin_allowed_users", "api_keys", mode="before")
    @classmethod
    def _split_lists(cls, value: object) -> object:
        # Accept "https://a.org,https://b.org" as well as a JSON list.
        if isinstance(value, str):
            if value.strip().startswith("["):
                return json.loads(value)
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("database_url")
    @classmethod
    def _database_driver(cls, value: str | None) -> str | None:
        # PostgreSQL goes through psycopg 3 whichever way the URL names it; other databases are refused.
        if not value:
            return None
        scheme, sep, rest = value.partition("://")
        if not sep:
            raise ValueError("CONNECTOR_DATABASE_URL must be a URL such as postgresql://user@host/db")
        if scheme in ("postgres", "postgresql", "postgresql+psycopg"):
            return f"postgresql+psycopg://{rest}"
        if scheme == "sqlite":
            return value
        raise ValueError("CONNECTOR_DATABASE_URL must be a postgresql:// (or sqlite://) URL")

    # An empty line in .env ("CONNECTOR_SMTP_HOST=") means "not set", not an empty host or password hash.
    @field_validator(
        "admin_password_hash",
        "admin_trusted_header",
        "admin_secret",
        "smtp_host",
        "smtp_user",
        "smtp_from",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return (value.strip() or None) if isinstance(value, str) else value

    @field_validator("admin_password_hash")
    @classmethod
    def _password_hash_shape(cls, value: str | None) -> str | None:
        from connector.admin_password import is_password_hash

        if value and not is_password_hash(value):
            raise ValueError("CONNECTOR_ADMIN_PASSWORD_HASH must come from `connector admin hash-password`")
        return value

    @field_validator("admin_login_rate", "chat_rate", "enquiry_rate")
    @classmethod
    def _rates(cls, value: str) -> str:
        one = r"\s*\d+\s*(/|per)\s*\d*\s*(second|minute|hour|day)s?\s*"
        if value.strip() and not re.fullmatch(f"{one}(;{one})*", value):
            raise ValueError("rates must read like '20/minute;300/day' (CONNECTOR_CHAT_RATE and the like)")
        return value.strip()

    @field_validator("cors_origins")
    @classmethod
    def _no_wildcard(cls, value: list[str]) -> list[str]:
        if "*" in value:
            raise ValueError("CONNECTOR_CORS_ORIGINS must list origins; '*' is not allowed")
        return value

    @model_validator(mode="after")
    def _smtp_needs_a_sender(self) -> Settings:
        if self.smtp_host and not self.smtp_from:
            raise ValueError("CONNECTOR_SMTP_FROM must be set when CONNECTOR_SMTP_HOST is (the From address)")
        if self.smtp_from and ("@" not in self.smtp_from or any(c in self.smtp_from for c in "\r\n")):
            raise ValueError("CONNECTOR_SMTP_FROM must be an email address, e.g. skills@chamber.example")
        return self

    @model_validator(mode="after")
    def _from_area(self) -> Settings:
        """Load and check the area at start-up (a bad folder stops it, naming the file and field), then
        take from it what was not set explicitly."""
        from connector.areas import PLACEHOLDER_DOMAIN, AreaError, load_area

        try:
            area = load_area(self.area, self.areas_dir)
        except AreaError as error:
            raise ValueError(str(error)) from None
        self._area = area
        contact, given = area.info.contact, self.model_fields_set
        defaults = {
            "area_name": area.info.name,
            "chamber_name": area.info.chamber.name,
            "chamber_contact_email": contact.email.value if contact.email else "",
            "chamber_contact_phone": contact.phone.value if contact.phone else "",
            "chamber_contact_url": contact.page.value if contact.page else "",
            "collection_name": f"skills-{area.key}",
            "sources_file": area.sources_file,
            "providers_file": area.providers_file,
        }
        for name, value in defaults.items():
            if name not in given or not getattr(self, name):
                setattr(self, name, value)
        if PLACEHOLDER_DOMAIN.search(self.chamber_contact_email.partition("@")[2]):
            raise ValueError("CONNECTOR_CHAMBER_CONTACT_EMAIL is a placeholder: use the area's contact")
        self._data_root = self.data_dir
        self.data_dir = self.data_dir / area.key
        return self

    @property
    def area_config(self) -> Area:
        """The area this process serves, validated."""
        return self._area

    @property
    def data_root(self) -> Path:
        """CONNECTOR_DATA_DIR itself; each area's files are in a subfolder of it (data_dir)."""
        return self._data_root

    @property
    def smtp_configured(self) -> bool:
        return bool(self.smtp_host)

    @property
    def smtp_port_or_default(self) -> int:
        return self.smtp_port or {"none": 25, "starttls": 587, "tls": 465}[self.smtp_tls]

    @property
    def model_id(self) -> str:
        """The model name the OpenAI-compatible endpoint lists and answers as: "skills-connector-essex"."""
        return f"skills-connector-{self.area}"

    @property
    def model_cache(self) -> Path:
        """Where the embedding model's ONNX export is kept: shared by every area of a data dir."""
        return self.model_cache_dir or self.data_root / "models"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / "manifest.sqlite"

    @property
    def app_db_path(self) -> Path:
        """The product's own tables in SQLite, unless CONNECTOR_DATABASE_URL names another database."""
        return self.data_dir / "connector.sqlite"

    @property
    def lock_path(self) -> Path:
        return self.data_dir / "ingest.lock"

    def ensure_data_dir(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own Settings instead)."""
    return Settings()
