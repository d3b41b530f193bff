"""Catalogue management mutations."""
import strawberry


@strawberry.type
class CatalogueMutation:
    pass
