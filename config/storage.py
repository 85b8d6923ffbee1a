"""Where evidence files live: S3-compatible object storage or a folder, chosen per call.

`STORAGES["documents"]` (set from DOCUMENTS_S3_BUCKET, docs/deployment.md) names an
object store; without it files go under MEDIA_ROOT/cases. The choice is made at each call,
not when the model is loaded, so a changed setting takes effect without a restart of Python.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


def configured_storage() -> Storage:
    """The storage evidence goes to under the current settings."""
    if "documents" in settings.STORAGES:
        return storages["documents"]
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "cases", base_url=None)


class DocumentStorage(Storage):
    """Delegate every file operation to `configured_storage()`."""

    def open(self, name: str, mode: str = "rb") -> Any:
        return configured_storage().open(name, mode)

    def save(self, name: str | None, content: Any, max_length: int | None = None) -> str:
        return configured_storage().save(name, content, max_length=max_length)

    def generate_filename(self, filename: str) -> str:
        return configured_storage().generate_filename(filename)

    def delete(self, name: str) -> None:
        configured_storage().delete(name)

    def exists(self, name: str) -> bool:
        return configured_storage().exists(name)

    def size(self, name: str) -> int:
        return configured_storage().size(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return configured_storage().listdir(path)

    def url(self, name: str | None) -> str:
        return configured_storage().url(name)
