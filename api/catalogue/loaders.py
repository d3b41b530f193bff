"""Catalogue loaders (`<Entity>By<Key>`)."""
from api.core.dataloaders import keyed, keyed_for_viewer
from domain.catalogue import service as catalogue

FACTORIES = {
    "product_by_id": lambda r, *_: keyed(r, catalogue.products_by_ids),
    "lendable_by_product_id": lambda r, *_: keyed(r, catalogue.lendable_by_product_ids),
    "products_by_work_id": lambda r, *_: keyed(r, catalogue.products_by_work_ids),
    "category_by_id": lambda r, *_: keyed(r, catalogue.categories_with_ancestors),
    "categories_by_parent_id": lambda r, *_: keyed(r, catalogue.category_children),
    "brand_by_id": lambda r, *_: keyed(r, catalogue.brands_by_ids),
    "work_by_id": lambda r, *_: keyed(r, catalogue.works_by_ids),
    "product_import_by_id": keyed_for_viewer(catalogue.imports_by_ids),
    "product_review_flag_by_id": keyed_for_viewer(catalogue.review_flags_by_ids),
}
