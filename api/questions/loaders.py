"""Question loaders: posts by id (filtered for the caller), pages of a product's questions keyed
by (product id, listing), their counts, top answers and pages of answers by question, so a page
of products with their questions and top answers costs a constant number of statements."""
from api.core.dataloaders import grouped, keyed, keyed_for_viewer
from domain.questions import service as questions

FACTORIES = {
    "question_by_id": keyed_for_viewer(questions.questions_by_ids),
    "answer_by_id": keyed_for_viewer(questions.answers_by_ids),
    "questions_by_product_id": lambda r, *_: grouped(r, questions.published_pages),
    "question_count_by_product_id": lambda r, *_: keyed(r, questions.count_published),
    "top_answer_by_question_id": lambda r, *_: keyed(r, questions.top_answers),
    "answers_by_question_id": lambda r, *_: grouped(r, questions.answer_pages),
}
