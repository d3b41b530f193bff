"""Where digital content lives, and the demo content of the seeded e-books.

The content store is an interface (`ContentStore`) so production can keep files in an object
store; `FileSystemContentStore` keeps them under a directory and is what the service uses by
default (`<data_dir>/content`). Content is addressed by a key like `ebooks/<product id>.txt`;
the `digital_contents` table says which product has which key, its size and, for books, how
many locations (reading positions) it has.

The seed gives every demo e-book a small readable text: its title page, description and a few
chapters made from its own metadata; and every streaming video a short text standing in for
its stream. `demo_content` computes it (so the row's size and location count and the file
always agree), `seed_digital_contents` writes the rows in the seed's transaction, and
`ensure_demo_files` writes the files that are missing (at start-up).
"""
from __future__ import annotations

import asyncio
import textwrap
from collections.abc import AsyncIterator, Iterable
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

    async def put_many(self, items: Iterable[tuple[str, bytes]]) -> int:
        """Puts every (key, data) of `items`, which may be computed as they are taken; returns how
        many."""
        ...

    def stream(self, key: str) -> AsyncIterator[bytes]:
        """The content in chunks; raises FileNotFoundError for an unknown key."""
        ...


class FileSystemContentStore:
    """Content as files under `root`, one per key (keys are relative paths without `..`)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._resolved_root = self.root.resolve()

    def _path(self, key: str) -> Path:
        path = (self._resolved_root / key).resolve()
        if not key or ".." in Path(key).parts or self._resolved_root not in path.parents:
            raise ValueError(f"bad content key {key!r}")
        return path

    async def missing(self, keys: list[str]) -> list[str]:
        paths = [self._path(key) for key in keys]
        return await asyncio.to_thread(lambda: [k for k, p in zip(keys, paths, strict=True) if not p.is_file()])

    def _write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(path.suffix + ".partial")
        partial.write_bytes(data)
        partial.replace(path)  # readers never see half a file

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(self._write, key, data)

    async def put_many(self, items: Iterable[tuple[str, bytes]]) -> int:
        # One thread for them all: a hop to a thread per file cost more than its write.
        def write_all() -> int:
            written = 0
            for key, data in items:
                self._write(key, data)
                written += 1
            return written

        return await asyncio.to_thread(write_all)

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


def content_key(product_id: int, kind: str = "EBOOK") -> str:
    return f"{'videos' if kind == 'VIDEO' else 'ebooks'}/{product_id}.txt"


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


def demo_stream(title: str, description: str) -> bytes:
    """What the demo data streams for a video: a text naming the title (the demo data has no
    video files; the signed URL, its checks and the rental window work as for a real one)."""
    about = "\n".join(textwrap.wrap(description or title, 72))
    return (f"{title}\n\nA demo stream for Tributary players: the demo data carries no video files.\n\n"
            f"{about}\n").encode("utf-8")


def running_seconds(product_id: int) -> int:
    """A demo video's running time (80 to 139 minutes, fixed per title): its positions."""
    return (80 + product_id % 60) * 60


def demo_content(kind: str, product_id: int, title: str, authors: list[str], description: str) -> bytes:
    if kind == "VIDEO":
        return demo_stream(title, description)
    return demo_book(title, authors, description)


def locations_of(size: int) -> int:
    return max(1, -(-size // LOCATION_BYTES))


# The seeded titles with content: e-books, and videos bought or rented to stream.
_TITLES = ("SELECT id, kind::text AS kind, title, authors, description FROM products"
           " WHERE kind = 'EBOOK' OR (kind = 'VIDEO' AND format = 'STREAMING') ORDER BY id")


async def seed_digital_contents(conn: asyncpg.Connection) -> int:
    """Rows for every e-book and streaming video without one (in the caller's transaction);
    returns how many. A book's locations are its bytes in LOCATION_BYTES; a video's are the
    seconds of its running time."""
    rows = await conn.fetch(f"SELECT * FROM ({_TITLES}) t WHERE NOT EXISTS"
                            " (SELECT 1 FROM digital_contents d WHERE d.product_id = t.id)")
    sizes = [len(demo_content(r["kind"], r["id"], r["title"], list(r["authors"]), r["description"])) for r in rows]
    locations = [running_seconds(r["id"]) if r["kind"] == "VIDEO" else locations_of(size)
                 for r, size in zip(rows, sizes, strict=True)]
    await conn.execute(
        "INSERT INTO digital_contents (product_id, content_key, media_type, file_size, location_count)"
        " SELECT id, key, $2, size, locations"
        " FROM unnest($1::bigint[], $3::text[], $4::bigint[], $5::int[]) AS c(id, key, size, locations)",
        [r["id"] for r in rows], MEDIA_TYPE_TEXT, [content_key(r["id"], r["kind"]) for r in rows], sizes, locations)
    return len(rows)


async def ensure_demo_files(conn: asyncpg.Connection, store: ContentStore) -> int:
    """Writes the demo content of every seeded title whose file the store lacks; returns how many."""
    rows = await conn.fetch(
        "SELECT p.id, p.kind::text AS kind, p.title, p.authors, p.description, d.content_key FROM digital_contents d"
        " JOIN products p ON p.id = d.product_id"
        " WHERE d.content_key IN ('ebooks/' || p.id || '.txt', 'videos/' || p.id || '.txt') ORDER BY p.id")
    absent = set(await store.missing([r["content_key"] for r in rows]))
    # A generator: each text is made as it is written, off the event loop.
    return await store.put_many(
        (r["content_key"], demo_content(r["kind"], r["id"], r["title"], list(r["authors"]), r["description"]))
        for r in rows if r["content_key"] in absent)
