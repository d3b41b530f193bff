"""Where digital content lives, and the demo content of the seeded e-books.

The content store is an interface (`ContentStore`) so production can keep files in an object
store; `FileSystemContentStore` keeps them under a directory and is what the service uses by
default (`<data_dir>/content`). Content is addressed by a key like `ebooks/<product id>.txt`;
the `digital_contents` table says which product has which key, its size and, for books, how
many locations (reading positions) it has.

The seed gives every demo e-book a small readable text: its title page, description and a few
chapters made from its own metadata. `demo_book` computes it (so the row's size and location
count and the file always agree), `seed_digital_contents` writes the rows in the seed's
transaction, and `ensure_demo_files` writes the files that are missing (at start-up).
"""
from __future__ import annotations

import asyncio
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Protocol

import asyncpg

MEDIA_TYPE_TEXT = "text/plain; charset=utf-8"
# One location is this many bytes of text (as e-readers count positions in a book).
LOCATION_BYTES = 128
CHUNK_BYTES = 64 * 1024


class ContentStore(Protocol):
    """Keeps content by key."""

    async def missing(self, keys: list[str]) -> list[str]:
        """Those of `keys` the store does not have."""
        ...

    async def put(self, key: str, data: bytes) -> None: ...

    def stream(self, key: str) -> AsyncIterator[bytes]:
        """The content in chunks; raises FileNotFoundError for an unknown key."""
        ...


class FileSystemContentStore:
    """Content as files under `root`, one per key (keys are relative paths without `..`)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not key or ".." in Path(key).parts or self.root.resolve() not in path.parents:
            raise ValueError(f"bad content key {key!r}")
        return path

    async def missing(self, keys: list[str]) -> list[str]:
        paths = [self._path(key) for key in keys]
        return await asyncio.to_thread(lambda: [k for k, p in zip(keys, paths, strict=True) if not p.is_file()])

    async def put(self, key: str, data: bytes) -> None:
        path = self._path(key)

        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(path.suffix + ".partial")
            partial.write_bytes(data)
            partial.replace(path)  # readers never see half a file

        await asyncio.to_thread(write)

    async def stream(self, key: str) -> AsyncIterator[bytes]:
        path = self._path(key)
        handle = await asyncio.to_thread(path.open, "rb")
        try:
            while chunk := await asyncio.to_thread(handle.read, CHUNK_BYTES):
                yield chunk
        finally:
            await asyncio.to_thread(handle.close)


def store_for(settings) -> FileSystemContentStore:
    """The content store the settings name (`content_dir`, default `<data_dir>/content`)."""
    return FileSystemContentStore(settings.content_root)


def content_key(product_id: int) -> str:
    return f"ebooks/{product_id}.txt"


def demo_book(title: str, authors: list[str], description: str) -> bytes:
    """A small readable text for a demo e-book, from its own metadata."""
    byline = ", ".join(authors) or "Anonymous"
    paragraphs = textwrap.wrap(description or f"{title} by {byline}.", 72)
    filler = textwrap.wrap(
        f"This is chapter {{n}} of the demo edition of {title}. A demo edition stands in for the publisher's file so "
        "that e-readers can download, open and page through a real text: its positions, bookmarks, highlights and "
        "notes sync across the reader's devices exactly as they would for the full book.", 72)
    chapters = []
    for n in range(1, 7):
        chapters.append(f"Chapter {n}\n\n" + "\n".join(paragraphs) + "\n\n"
                        + "\n".join(line.replace("{n}", str(n)) for line in filler) + "\n")
    text = f"{title}\n\nby {byline}\n\nA demo edition for Tributary e-readers.\n\n" + "\n".join(chapters)
    return text.encode("utf-8")


def locations_of(size: int) -> int:
    return max(1, -(-size // LOCATION_BYTES))


_EBOOKS = "SELECT id, title, authors, description FROM products WHERE kind = 'EBOOK' ORDER BY id"


async def seed_digital_contents(conn: asyncpg.Connection) -> int:
    """Rows for every e-book without one (in the caller's transaction); returns how many."""
    rows = await conn.fetch(f"SELECT * FROM ({_EBOOKS}) e WHERE NOT EXISTS"
                            " (SELECT 1 FROM digital_contents d WHERE d.product_id = e.id)")
    sizes = [len(demo_book(r["title"], list(r["authors"]), r["description"])) for r in rows]
    await conn.execute(
        "INSERT INTO digital_contents (product_id, content_key, media_type, file_size, location_count)"
        " SELECT id, 'ebooks/' || id || '.txt', $2, size, greatest(1, (size + $3 - 1) / $3)"
        " FROM unnest($1::bigint[], $4::bigint[]) AS c(id, size)",
        [r["id"] for r in rows], MEDIA_TYPE_TEXT, LOCATION_BYTES, sizes)
    return len(rows)


async def ensure_demo_files(conn: asyncpg.Connection, store: ContentStore) -> int:
    """Writes the demo text of every seeded e-book whose file the store lacks; returns how many."""
    rows = await conn.fetch(
        "SELECT p.id, p.title, p.authors, p.description, d.content_key FROM digital_contents d"
        " JOIN products p ON p.id = d.product_id WHERE d.content_key = 'ebooks/' || p.id || '.txt' ORDER BY p.id")
    absent = set(await store.missing([r["content_key"] for r in rows]))
    for r in rows:
        if r["content_key"] in absent:
            await store.put(r["content_key"], demo_book(r["title"], list(r["authors"]), r["description"]))
    return len(absent)
