"""Reading the voter file's Parquet copy from a URL when DuckDB's httpfs extension is absent.

DuckDB reads `s3://` and `https://` through its httpfs extension, which it downloads from its
own repository on first use; a machine that cannot reach that repository (and no PyPI package
ships httpfs for DuckDB 2.0.1) has none. Such a machine can read through Python instead:
DuckDB's `register_filesystem` hands every path of a protocol to an fsspec filesystem.

    https:// http://   `RangeHTTPFileSystem` below: HEAD for the size, GET with a Range header
                       for each block (DuckDB reads a Parquet file's footer, then only the
                       columns a query needs); needs only fsspec (`powerbase[objectstore]`).
    s3://              s3fs's `S3FileSystem` (install s3fs; it reads the AWS_* variables).

Slower than httpfs (every block is a Python call), so httpfs is used whenever it loads.
"""

import datetime
import email.utils
import urllib.error
import urllib.request
from typing import Any

import duckdb

HTTP = ("https", "http")
BLOCK_SIZE = 4 * 1024 * 1024  # one request per 4 MB: a column chunk of a large table
TIMEOUT = 30


class NotAvailable(Exception):
    """Reading *protocol* through Python needs a package this install does not have."""


def register(con: duckdb.DuckDBPyConnection, protocol: str) -> None:
    """Let *con* read (and, for s3, write) *protocol* URLs through an fsspec filesystem;
    raise NotAvailable naming the package to install when this install cannot."""
    if con.filesystem_is_registered(protocol):
        return
    con.register_filesystem(filesystem(protocol))


def filesystem(protocol: str) -> Any:
    """Return the fsspec filesystem that reads *protocol* URLs."""
    try:
        import fsspec  # noqa: F401 - only to say what is missing
    except ImportError:
        raise NotAvailable("fsspec (pip install 'powerbase[objectstore]')") from None
    if protocol in HTTP:
        return _range_http_class()(protocol=protocol)
    if protocol in ("s3", "s3a"):
        try:
            import s3fs
        except ImportError:
            raise NotAvailable("s3fs (pip install s3fs)") from None
        return s3fs.S3FileSystem()
    raise NotAvailable(f"a filesystem for {protocol}:// (none is known)")


_classes: dict[str, type] = {}


def _range_http_class() -> type:
    """Build the fsspec classes once fsspec is known to be installed (it is an extra)."""
    if "http" in _classes:
        return _classes["http"]
    from fsspec.spec import AbstractBufferedFile, AbstractFileSystem

    class RangeHTTPFile(AbstractBufferedFile):
        def _fetch_range(self, start: int, end: int) -> bytes:
            if start >= end:
                return b""
            request = urllib.request.Request(  # noqa: S310 - the operator's own URL
                self.path, headers={"Range": f"bytes={start}-{end - 1}"}
            )
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                body = response.read()
                whole = response.status == 200  # a server that ignores Range sends it all
            return body[start:end] if whole else body

    class RangeHTTPFileSystem(AbstractFileSystem):
        """Read-only files at http(s) URLs, read in blocks with Range requests."""

        protocol: str | tuple[str, ...] = HTTP
        cachable = False

        def __init__(self, protocol: str = "https", **kwargs):
            super().__init__(**kwargs)
            # DuckDB routes paths by the filesystem's protocol: one filesystem each.
            self.protocol = protocol

        @classmethod
        def _strip_protocol(cls, path):
            return path  # a URL is its own path

        def info(self, path, **kwargs):
            request = urllib.request.Request(path, method="HEAD")  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                    size = int(response.headers.get("Content-Length") or 0)
                    changed = response.headers.get("Last-Modified")
            except urllib.error.HTTPError as error:
                if error.code in (403, 404):
                    raise FileNotFoundError(path) from None
                raise OSError(f"{path}: HTTP {error.code} {error.reason}") from None
            except urllib.error.URLError as error:
                raise OSError(f"{path}: {error.reason}") from None
            return {"name": path, "size": size, "type": "file", "modified": changed}

        def modified(self, path):
            # DuckDB asks, to decide whether a cached read is stale; a published version
            # never changes, so a server that does not say is taken as the epoch.
            changed = self.info(path)["modified"]
            when = email.utils.parsedate_to_datetime(changed) if changed else None
            return when or datetime.datetime.fromtimestamp(0, datetime.UTC)

        def ls(self, path, detail=True, **kwargs):
            found = self.info(path)
            return [found] if detail else [found["name"]]

        def _open(self, path, mode="rb", block_size=None, autocommit=True, **kwargs):
            if mode != "rb":
                raise PermissionError(
                    f"{path}: a web server is read-only here; publish to a folder the server "
                    "serves, or to s3://"
                )
            return RangeHTTPFile(
                self,
                path,
                mode,
                block_size=block_size or BLOCK_SIZE,
                cache_type="readahead",
                size=self.info(path)["size"],
            )

    _classes["http"] = RangeHTTPFileSystem
    return RangeHTTPFileSystem
