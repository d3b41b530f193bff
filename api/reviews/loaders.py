"""Review loaders: summaries by work, and pages of a work's reviews keyed by (work id, listing),
so a page of products with their reviews costs one statement per distinct listing."""
from api.core.dataloaders import grouped, keyed, keyed_for_viewer
from domain.reviews import service as reviews

FACTORIES = {
    "review_by_id": keyed_for_viewer(reviews.reviews_by_ids),
    "rating_summary_by_work_id": lambda r, *_: keyed(r, reviews.summaries_by_work_ids),
    "reviews_by_work_id": lambda r, *_: grouped(r, reviews.pages_for_works),
}
