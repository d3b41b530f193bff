"""The licences context, as the API, the seed and other contexts call them.

Issuing, revoking and expiring licences run in the caller's transaction (orders issue
licences when they capture a digital shipment). Using a licence on a device is its owner's
alone. The library and its sync are the signed-in customer's own. Content (`content`): the
content store interface, its file-system implementation and the demo e-book texts. Downloads
(`downloads`): signed, short-lived URLs for one licence on one device, checked again when
fetched. Playback (`playback`): starting a video (a rental's play window), playback quality
reports and the rule that says a rental played badly. Returns (`returning`): what orders
read to take an e-book back. Lending (`lending`): an e-book lent once to another customer, the
loans' reads and the sweep that ends them. Ownership (`ownership`): what a customer owns already,
which carts read so that a title is never sold twice. The membership library (`borrowing`): titles
lent to members as MEMBERSHIP licences, which the subscriptions context calls when a member
borrows or returns one and when a membership ends or starts again."""
from __future__ import annotations

from domain.licences import content, downloads, entities, playback
from domain.licences.activation import activate_licence, deactivate_licence  # noqa: F401
from domain.licences.annotations import (  # noqa: F401
    MAX_ANNOTATION_BATCH,
    Annotation,
    AnnotationChange,
    AnnotationResult,
    AnnotationSync,
    sync_annotations,
)
from domain.licences.borrowing import borrow as borrow_membership_title  # noqa: F401
from domain.licences.borrowing import (  # noqa: F401
    borrowed_count,
    expire_membership_titles,
    restore_membership_titles,
)
from domain.licences.borrowing import give_back as return_membership_title  # noqa: F401
from domain.licences.issuance import (  # noqa: F401
    EXPIRY_JOB,
    RENTAL_PLAY_HOURS,
    RENTAL_START_DAYS,
    expire_licences,
    issue_licences,
    issue_past_purchases,
    revoke_licence,
    run_expiry_job,
)
from domain.licences.lending.loans import (  # noqa: F401
    ACCEPT_DAYS,
    LOAN_DAYS,
    accept_ebook_loan,
    decline_ebook_loan,
    lend_ebook,
    return_ebook_loan,
)
from domain.licences.lending.reads import loans_by_ids, loans_by_licence_ids, loans_of_customer  # noqa: F401
from domain.licences.lending.sweep import SWEEP_JOB as LOAN_SWEEP_JOB  # noqa: F401
from domain.licences.lending.sweep import end_due_loans  # noqa: F401
from domain.licences.lending.sweep import run_job as run_loan_sweep  # noqa: F401
from domain.licences.lending.sweep import schedule as schedule_loan_sweep  # noqa: F401
from domain.licences.library import (  # noqa: F401
    SYNC_PAGE_DEFAULT,
    SYNC_PAGE_MAX,
    activations_for_licences,
    library_sync,
    licences_by_ids,
    my_library,
    read_sync_token,
    sync_token,
)
from domain.licences.ownership import already_owned, owned_kinds_sql, parse_owned_kinds  # noqa: F401
from domain.licences.reading import (  # noqa: F401
    MAX_STATE_BATCH,
    PositionResult,
    PositionSync,
    PositionWrite,
    ReadingState,
    reading_states_by_licence_ids,
    update_reading_states,
)
from domain.licences.reading_reads import (  # noqa: F401
    annotations,
    annotations_by_ids,
    annotations_for_licences,
    reading_state,
)
from domain.licences.returning import LicenceForReturn, licence_for_return  # noqa: F401

Licence = entities.Licence

ContentStore = content.ContentStore
FileSystemContentStore = content.FileSystemContentStore
content_store_for = content.store_for
seed_digital_contents = content.seed_digital_contents
ensure_demo_files = content.ensure_demo_files

Download = downloads.Download
DownloadRefused = downloads.DownloadRefused
request_download = downloads.request_download
authorize_download = downloads.authorize_download

Playback = playback.Playback
PlaybackQuality = playback.PlaybackQuality
PlaybackReport = playback.PlaybackReport
start_playback = playback.start_playback
licence_owner = playback.licence_owner
record_playback_report = playback.record_playback_report
mark_playback_refunded = playback.mark_playback_refunded
