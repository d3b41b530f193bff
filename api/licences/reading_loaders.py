"""Reading sync loaders, for fields under a licence (`Licence.readingState`,
`Licence.annotations`): one statement per batch of licences. The caller's own licences only."""
from api.core.dataloaders import grouped, keyed_for_viewer
from domain.licences import service as licences
from domain.shared.pagination import PageRequest


def _annotations(reader, viewer):
    """Keys: (licence id, (include_deleted, offset, limit)); values: a `Page` of annotations."""

    async def fetch(reader, licence_ids, args):
        include_deleted, offset, limit = args
        return await licences.annotations_for_licences(reader, await viewer(), licence_ids, include_deleted,
                                                       PageRequest(offset, limit))

    return grouped(reader, fetch)


FACTORIES = {
    "reading_state_by_licence_id": keyed_for_viewer(licences.reading_states_by_licence_ids),
    "annotations_by_licence_id": _annotations,
    "annotation_by_id": keyed_for_viewer(licences.annotations_by_ids),
}
