"""Licence loaders. Licences are private: their loader gets the caller and the domain leaves
out what the caller may not see. Activations are loaded only for a licence the caller sees."""
from api.core.dataloaders import keyed, keyed_for_viewer
from domain.licences import service as licences

FACTORIES = {
    "licence_by_id": keyed_for_viewer(licences.licences_by_ids),
    "licence_activations_by_licence_id": lambda r, *_: keyed(r, licences.activations_for_licences),
}
