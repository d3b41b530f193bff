"""Licences and e-reader content, as the API, the seed and other contexts call them.

Content (`content`): the content store interface, its file-system implementation and the
demo e-book texts. Downloads (`downloads`): signed, short-lived URLs for one licence on one
device, checked again when fetched."""
from __future__ import annotations

from domain.licences import content, downloads

ContentStore = content.ContentStore
FileSystemContentStore = content.FileSystemContentStore
content_store_for = content.store_for
seed_digital_contents = content.seed_digital_contents
ensure_demo_files = content.ensure_demo_files

Download = downloads.Download
DownloadRefused = downloads.DownloadRefused
request_download = downloads.request_download
authorize_download = downloads.authorize_download
