"""Builds the whole demo data set in memory: pure, deterministic, no database."""
from __future__ import annotations

from dataclasses import dataclass

from domain.seed.books import build_books
from domain.seed.brands import build_brands
from domain.seed.categories import BOOKS_SLUG, CategorySeed, build_category_tree
from domain.seed.goodbooks import read_books
from domain.seed.merchandise import build_merchandise
from domain.seed.offers import OfferSeed, build_offers
from domain.seed.records import BrandSeed, ProductSeed, WorkSeed
from domain.seed.sellers import SellerSeed, build_sellers
from domain.seed.slugs import SlugRegistry


@dataclass(slots=True)
class Dataset:
    categories: list[CategorySeed]
    brands: list[BrandSeed]
    works: list[WorkSeed]
    products: list[ProductSeed]
    sellers: list[SellerSeed]
    offers: list[OfferSeed]


def build_dataset(*, merchandise: int, books_limit: int | None) -> Dataset:
    """Books get product ids from 1 in file order, merchandise the ids after them."""
    tree = build_category_tree()
    brands = build_brands(tree)
    product_slugs = SlugRegistry()
    books = build_books(read_books(books_limit), tree, product_slugs, first_product_id=1)
    goods = build_merchandise(merchandise, tree, brands, product_slugs,
                              first_product_id=len(books.products) + 1)
    products = books.products + goods
    sellers = build_sellers(tree)
    offers = build_offers(products, sellers, tree.by_slug(BOOKS_SLUG).id)
    return Dataset(tree.categories, brands, books.works, products, sellers, offers)
