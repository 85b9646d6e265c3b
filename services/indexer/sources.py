"""Sources the indexer watches: their configuration, validation and document ids. No I/O."""

from __future__ import annotations

import enum
import fnmatch
import os
import re
import secrets
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from services.common.documents import validate_metadata
from services.runtime.errors import FieldViolation, InvalidArgument, invalid_field

SOURCE_ID = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
# Table and column names are interpolated into SQL as quoted identifiers: keep them plain.
SQL_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]{0,127}$")
MIN_RESCAN_S = 60.0
DEFAULT_RESCAN_S = 3600.0
DEFAULT_POLL_S = 30.0
MAX_DISPLAY_NAME = 200

# File types the document processor parses; others are not indexed.
CONTENT_TYPES = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".txt": "text/plain",
    ".text": "text/plain",
    ".rst": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
}
_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class SourceKind(enum.IntEnum):
    FILESYSTEM = 1
    DATABASE = 2
    POSTGRES = 3
    GIT = 4
    S3 = 5
    CONFLUENCE = 6
    SHAREPOINT = 7


class SourceState(enum.IntEnum):
    SYNCING = 1
    ACTIVE = 2
    ERROR = 3


@dataclass(frozen=True)
class FilesystemConfig:
    path: str
    recursive: bool = True
    include_globs: tuple[str, ...] = ()
    exclude_globs: tuple[str, ...] = ()
    rescan_interval_s: float = DEFAULT_RESCAN_S


@dataclass(frozen=True)
class DatabaseConfig:
    dsn: str
    table: str
    id_column: str
    updated_at_column: str
    content_column: str
    tombstone_column: str = ""
    title_column: str = ""
    content_type: str = "text/plain"
    poll_interval_s: float = DEFAULT_POLL_S
    reconcile_interval_s: float = DEFAULT_RESCAN_S


POSTGRES_CONTENT_TYPES = ("text/plain", "text/markdown", "text/html")
MAX_CONTENT_COLUMNS = 16


@dataclass(frozen=True)
class PostgresConfig:
    """A PostgreSQL table followed through logical replication (rag.v1.PostgresSourceConfig)."""

    dsn: str
    table: str
    id_column: str
    content_columns: tuple[str, ...]
    content_type: str = "text/plain"
    title_column: str = ""
    access_groups_column: str = ""


def slot_name(source_id: str) -> str:
    """The replication slot of a PostgreSQL source: ``ragmesh_`` + id (at most 63 chars)."""
    return f"ragmesh_{source_id.replace('-', '_')}"[:63]


DEFAULT_GIT_POLL_S = 60.0
MAX_GIT_URL = 2048
# What git fetches from; anything else (ext::, fd::, a leading "-") is refused: a URL never
# becomes a command or an option.
GIT_URL_SCHEMES = ("https://", "http://", "ssh://", "git://", "file://")


@dataclass(frozen=True)
class GitConfig:
    """A branch of a Git repository, applied commit by commit (rag.v1.GitSourceConfig)."""

    url: str
    branch: str = "main"
    include_globs: tuple[str, ...] = ()
    exclude_globs: tuple[str, ...] = ()
    poll_interval_s: float = DEFAULT_GIT_POLL_S


DEFAULT_S3_POLL_S = 300.0
# S3's bucket naming rules (virtual-host safe): lower case, digits, "." and "-".
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_REGION = re.compile(r"^[a-z0-9-]{1,32}$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
_SPACE_KEY = re.compile(r"^~?[A-Za-z0-9_-]{1,255}$")


@dataclass(frozen=True)
class S3Config:
    """A bucket (and key prefix) of an S3-compatible store (rag.v1.S3SourceConfig).
    Credentials are names of environment variables, never the values."""

    bucket: str
    prefix: str = ""
    endpoint_url: str = ""
    region: str = ""
    access_key_id_env: str = ""
    secret_access_key_env: str = ""
    poll_interval_s: float = DEFAULT_S3_POLL_S


@dataclass(frozen=True)
class ConfluenceConfig:
    """Confluence page events pushed to the webhook (rag.v1.ConfluenceSourceConfig)."""

    secret_env: str = ""
    space_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class SharePointConfig:
    """Graph change notifications pushed to the webhook (rag.v1.SharePointSourceConfig)."""

    client_state_env: str


SourceConfig = (
    FilesystemConfig
    | DatabaseConfig
    | PostgresConfig
    | GitConfig
    | S3Config
    | ConfluenceConfig
    | SharePointConfig
)
_KINDS = {
    S3Config: SourceKind.S3,
    ConfluenceConfig: SourceKind.CONFLUENCE,
    SharePointConfig: SourceKind.SHAREPOINT,
}


@dataclass(frozen=True)
class SourceSpec:
    """What a caller configures: where to read and the access list of what is read."""

    id: str
    config: SourceConfig
    display_name: str = ""
    access_groups: tuple[str, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> SourceKind:
        if isinstance(self.config, FilesystemConfig):
            return SourceKind.FILESYSTEM
        if isinstance(self.config, PostgresConfig):
            return SourceKind.POSTGRES
        if isinstance(self.config, GitConfig):
            return SourceKind.GIT
        return _KINDS.get(type(self.config), SourceKind.DATABASE)


@dataclass(frozen=True)
class SourceStatus:
    """A source with its sync state (rag.v1.Source)."""

    spec: SourceSpec
    state: SourceState
    create_time: float
    last_sync_time: float | None
    last_error: str
    document_count: int
    # How far the source has been read (opaque), and bytes behind the source (None: unknown).
    cursor: str = ""
    lag_bytes: int | None = None
    # Git: commits on the fetched head not queued yet (None: unknown or other kinds).
    commits_behind: int | None = None


def new_source_id() -> str:
    return f"src-{secrets.token_hex(6)}"


def document_id(source_id: str, key: str) -> str:
    """``<source id>:<path or row id>``: ids of a source's documents."""
    return f"{source_id}:{key}"


def key_of(source_id: str, doc_id: str) -> str | None:
    prefix = f"{source_id}:"
    return doc_id[len(prefix) :] if doc_id.startswith(prefix) else None


def content_type_for(path: str) -> str | None:
    return CONTENT_TYPES.get(PurePosixPath(path).suffix.lower())


def glob_match(rel: str, pattern: str) -> bool:
    # fnmatch's "*" crosses "/", so "**/" also matches at the root when stripped.
    return fnmatch.fnmatchcase(rel, pattern) or (
        pattern.startswith("**/") and fnmatch.fnmatchcase(rel, pattern[3:])
    )


def selected(rel: str, include_globs: tuple[str, ...], exclude_globs: tuple[str, ...]) -> bool:
    """Whether a file (path relative to the source's root) is indexed: a supported content
    type, matched by an include glob (any when there are none), and not excluded."""
    if content_type_for(rel) is None:
        return False
    if include_globs and not any(glob_match(rel, g) for g in include_globs):
        return False
    return not any(glob_match(rel, g) for g in exclude_globs)


def valid_branch(name: str) -> bool:
    """``git check-ref-format --branch`` without running git: no "..", "@{", "//", control
    characters, spaces or any of ~^:?*[\\; no component starting with "." or ending in
    ".lock"; not starting with "-" or "/", not ending with "/" or "."; not "@"."""
    if not name or name == "@" or name.startswith(("-", "/")) or name.endswith(("/", ".")):
        return False
    if any(part in name for part in ("..", "@{", "//")) or len(name) > 255:
        return False
    if any(ord(c) < 0x20 or c == "\x7f" or c in " ~^:?*[\\" for c in name):
        return False
    return not any(p.startswith(".") or p.endswith(".lock") for p in name.split("/"))


def validate_source(spec: SourceSpec, path: str = "source") -> None:
    """Everything checkable without touching the file system or the database."""
    if not SOURCE_ID.match(spec.id):
        raise InvalidArgument(
            message=f"source id {spec.id[:80]!r} is invalid: 1-63 characters from [a-z0-9-], "
            "starting with a letter",
            reason="INVALID_SOURCE_ID",
            field_violations=[FieldViolation("source_id", "1-63 of [a-z0-9-], letter first")],
        )
    if len(spec.display_name) > MAX_DISPLAY_NAME:
        raise invalid_field(f"{path}.display_name", "at most 200 characters")
    validate_metadata(spec.metadata, spec.access_groups, path)
    config = spec.config
    if isinstance(config, FilesystemConfig):
        if not config.path or not os.path.isabs(config.path):
            raise invalid_field(f"{path}.filesystem.path", "required: an absolute folder path")
        _validate_globs(config.include_globs, config.exclude_globs, f"{path}.filesystem")
        if config.rescan_interval_s < MIN_RESCAN_S:
            raise invalid_field(f"{path}.filesystem.rescan_interval", "at least 1 minute")
        return
    if isinstance(config, PostgresConfig):
        _validate_postgres(config, f"{path}.postgres")
        return
    if isinstance(config, GitConfig):
        _validate_git(config, f"{path}.git")
        return
    if isinstance(config, S3Config):
        _validate_s3(config, f"{path}.s3")
        return
    if isinstance(config, ConfluenceConfig):
        _validate_env_name(config.secret_env, f"{path}.confluence.secret_env", required=False)
        for key in config.space_keys:
            if not _SPACE_KEY.match(key):
                raise invalid_field(f"{path}.confluence.space_keys", f"{key[:80]!r}: a space key")
        return
    if isinstance(config, SharePointConfig):
        _validate_env_name(config.client_state_env, f"{path}.sharepoint.client_state_env")
        return
    field_path = f"{path}.database"
    if not config.dsn:
        raise invalid_field(f"{field_path}.dsn", "required: a SQLAlchemy connection URL")
    table_parts = config.table.split(".")
    if (
        not config.table
        or len(table_parts) > 2
        or not all(SQL_IDENTIFIER.match(p) for p in table_parts)
    ):
        raise invalid_field(f"{field_path}.table", "required: [schema.]table, plain identifiers")
    for name in ("id_column", "updated_at_column", "content_column"):
        if not SQL_IDENTIFIER.match(getattr(config, name)):
            raise invalid_field(f"{field_path}.{name}", "required: a plain column name")
    for name in ("tombstone_column", "title_column"):
        value = getattr(config, name)
        if value and not SQL_IDENTIFIER.match(value):
            raise invalid_field(f"{field_path}.{name}", "a plain column name")
    if not 1.0 <= config.poll_interval_s <= 86400.0:
        raise invalid_field(f"{field_path}.poll_interval", "1 second to 24 hours")
    if config.reconcile_interval_s < MIN_RESCAN_S:
        raise invalid_field(f"{field_path}.reconcile_interval", "at least 1 minute")


def _validate_globs(
    include_globs: tuple[str, ...], exclude_globs: tuple[str, ...], field_path: str
) -> None:
    for name, globs in (("include_globs", include_globs), ("exclude_globs", exclude_globs)):
        for glob in globs:
            if not glob or glob.startswith("/") or "\0" in glob:
                raise invalid_field(
                    f"{field_path}.{name}", f"{glob!r}: a non-empty relative pattern"
                )


def _validate_git(config: GitConfig, field_path: str) -> None:
    url = config.url
    if not url:
        raise invalid_field(f"{field_path}.url", "required: a repository URL or absolute path")
    if len(url) > MAX_GIT_URL or any(ord(c) < 0x20 for c in url):
        raise invalid_field(f"{field_path}.url", "at most 2048 characters, no control characters")
    if not (os.path.isabs(url) or url.lower().startswith(GIT_URL_SCHEMES)):
        raise invalid_field(
            f"{field_path}.url",
            f"{url[:80]!r}: an absolute path or a https://, http://, ssh://, git:// or file:// URL",
        )
    if not valid_branch(config.branch):
        raise invalid_field(
            f"{field_path}.branch", f"{config.branch[:80]!r} is not a valid Git branch name"
        )
    _validate_globs(config.include_globs, config.exclude_globs, field_path)
    if not 1.0 <= config.poll_interval_s <= 86400.0:
        raise invalid_field(f"{field_path}.poll_interval", "1 second to 24 hours")


def _validate_postgres(config: PostgresConfig, field_path: str) -> None:
    if not config.dsn:
        raise invalid_field(f"{field_path}.dsn", "required: a postgresql:// connection URL")
    if not config.dsn.startswith(("postgresql://", "postgres://")):
        raise invalid_field(f"{field_path}.dsn", "must start with postgresql://")
    table_parts = config.table.split(".")
    if (
        not config.table
        or len(table_parts) > 2
        or not all(SQL_IDENTIFIER.match(p) for p in table_parts)
    ):
        raise invalid_field(f"{field_path}.table", "required: [schema.]table, plain identifiers")
    if not SQL_IDENTIFIER.match(config.id_column):
        raise invalid_field(f"{field_path}.id_column", "required: a plain column name")
    if not 1 <= len(config.content_columns) <= MAX_CONTENT_COLUMNS:
        raise invalid_field(f"{field_path}.content_columns", "required: 1 to 16 column names")
    for column in config.content_columns:
        if not SQL_IDENTIFIER.match(column):
            raise invalid_field(
                f"{field_path}.content_columns", f"{column[:80]!r}: a plain column name"
            )
    for name in ("title_column", "access_groups_column"):
        value = getattr(config, name)
        if value and not SQL_IDENTIFIER.match(value):
            raise invalid_field(f"{field_path}.{name}", "a plain column name")
    if config.content_type not in POSTGRES_CONTENT_TYPES:
        raise invalid_field(f"{field_path}.content_type", "text/plain, text/markdown or text/html")


def expand_dsn(
    dsn: str, environ: Mapping[str, str] | None = None, field: str = "source.database.dsn"
) -> str:
    """Replace ``${NAME}`` by the environment variable NAME (secrets stay out of the API)."""
    env = os.environ if environ is None else environ

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise invalid_field(field, f"environment variable {name} is not set")
        return env[name]

    return _ENV_REFERENCE.sub(value, dsn)


def redact_dsn(dsn: str) -> str:
    """The DSN with a literal password replaced by ``****`` (``${NAME}`` references stay)."""
    match = re.match(r"^([^:/]+://[^:/@]*):([^@]*)@", dsn)
    if not match or _ENV_REFERENCE.fullmatch(match.group(2)):
        return dsn
    return f"{match.group(1)}:****@{dsn[match.end() :]}"


def _validate_env_name(name: str, field_path: str, required: bool = True) -> None:
    if (name or required) and not ENV_NAME.match(name):
        what = "required: " if required else ""
        raise invalid_field(
            field_path, f"{what}the name of an environment variable of the indexer host"
        )


def _validate_s3(config: S3Config, field_path: str) -> None:
    bucket = config.bucket
    if (
        not _BUCKET.match(bucket)
        or ".." in bucket
        or _IPV4.match(bucket)
        or bucket.startswith("xn--")
        or bucket.endswith("-s3alias")
    ):
        raise invalid_field(
            f"{field_path}.bucket",
            f"{bucket[:80]!r}: 3-63 of [a-z0-9.-], letter or digit first and last, "
            "not an IP address",
        )
    prefix = config.prefix
    if (
        len(prefix.encode("utf-8")) > 1024
        or prefix.startswith("/")
        or any(ord(c) < 0x20 for c in prefix)
    ):
        raise invalid_field(
            f"{field_path}.prefix", "at most 1,024 bytes, no leading '/', no control characters"
        )
    if config.endpoint_url:
        _validate_endpoint(config.endpoint_url, f"{field_path}.endpoint_url")
    if config.region and not _REGION.match(config.region):
        raise invalid_field(f"{field_path}.region", "a region name such as us-east-1")
    key_env, secret_env = config.access_key_id_env, config.secret_access_key_env
    if bool(key_env) != bool(secret_env):
        missing = "secret_access_key_env" if key_env else "access_key_id_env"
        raise invalid_field(f"{field_path}.{missing}", "set both credential names or neither")
    for name in ("access_key_id_env", "secret_access_key_env"):
        _validate_env_name(getattr(config, name), f"{field_path}.{name}", required=False)
    if not 1.0 <= config.poll_interval_s <= 86400.0:
        raise invalid_field(f"{field_path}.poll_interval", "1 second to 24 hours")


def _validate_endpoint(url: str, field_path: str) -> None:
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise invalid_field(field_path, f"not a URL: {exc}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise invalid_field(field_path, "http:// or https:// and a host, e.g. http://minio:9000")
    if parts.username or parts.password:
        raise invalid_field(
            field_path, "no credentials in the URL: use access_key_id_env/secret_access_key_env"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment or port == 0:
        raise invalid_field(field_path, "scheme, host and port only (no path or query)")


def secret_from_env(name: str, field_path: str, environ: Mapping[str, str] | None = None) -> str:
    """The value of the environment variable ``name``, INVALID_ARGUMENT naming the field
    when the indexer host does not have it (the value is never put in a message)."""
    env = os.environ if environ is None else environ
    value = env.get(name, "")
    if not value:
        raise invalid_field(field_path, f"environment variable {name} is not set on the indexer")
    return value
