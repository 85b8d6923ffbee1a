"""The evidence file-name rule for case documents: the shared one in ``config.uploads``."""

from config.uploads import EXTENSIONS, extension_for, safe_filename

__all__ = ["EXTENSIONS", "extension_for", "safe_filename"]
