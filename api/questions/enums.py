"""Enums of product questions and answers."""
from api.core.enums import graphql_enum
from domain.questions import statuses

QuestionSortKey = graphql_enum(statuses.QuestionSortKey, description="Orders for a product's questions: MOST_ANSWERED (most published answers first, then newest), NEWEST. Ties are broken by question, so pages are stable.")
PostStatus = graphql_enum(statuses.PostStatus, name="QuestionPostStatus", description="Where a question or an answer stands: PUBLISHED (shown to everyone), HIDDEN (taken down by a moderator: only its author and administrators see it), DELETED (withdrawn by its author).")
AnswererKind = graphql_enum(statuses.AnswererKind, description="Who an answer is from, as the product page labels it (computed from the answerer's account, never chosen by them): CUSTOMER (a customer with no delivered order of the product), VERIFIED_BUYER (a customer whose order of the product, or for a book of any of its formats, was delivered), SELLER (staff answering for a seller that offers the product), BRAND (the registered owner of the product's brand).")
QuestionReportKind = graphql_enum(statuses.PostKind, name="QuestionReportKind", description="What a report or a moderation action is about: QUESTION (a product question) or ANSWER (an answer to one).")
