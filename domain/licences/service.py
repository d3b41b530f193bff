"""The licences context's use cases, as other contexts and the API call them."""
from domain.licences.reading import (  # noqa: F401
    MAX_ANNOTATION_BATCH,
    MAX_STATE_BATCH,
    Annotation,
    AnnotationChange,
    AnnotationResult,
    AnnotationSync,
    PositionWrite,
    ReadingState,
    annotations,
    annotations_for_licences,
    reading_state,
    reading_states_by_licence_ids,
    sync_annotations,
    update_reading_states,
)
