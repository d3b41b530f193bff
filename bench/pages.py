"""The benchmark's pages as GraphQL documents; the API tests send the same ones, so a page the
benchmark measures is also a page the suite checks."""

PRODUCT_PAGE = """
query ProductPage($slug: String!, $offers: Int!) {
  product(slug: $slug) {
    id title slug kind format isbn authors releaseDate isPreorder averageRating ratingsCount
    images { url altText }
    attributes { name value type }
    category { id name slug ancestors { id name slug } }
    formats { id format kind slug featuredOffer { price { amount currencyCode } } }
    featuredOffer {
      id condition fulfilment primeEligible inStock
      price { amount currencyCode } landedPrice { amount currencyCode }
      seller { id name slug rating }
    }
    priceRange { min { amount currencyCode } max { amount currencyCode } offerCount }
    offers(first: $offers) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id condition fulfilment primeEligible quantityAvailable
        price { amount currencyCode } landedPrice { amount currencyCode }
        seller { id name slug rating }
      }
    }
  }
}
"""

# What a product page adds below the offers: the rating summary and the first page of reviews.
REVIEWS_BLOCK = """
    ratingSummary { average count histogram { stars count percentage } }
    reviews(first: 10) { nodes { id stars title text authorName verifiedPurchase helpfulVotes createdAt } }
"""
QUESTIONS_BLOCK = """
    questions(first: 5) {
      nodes { id text authorName answerCount topAnswer { id text answeredBy authorName helpfulVotes } }
    }
"""
# Blocks added below the product page's fields, in order (bench/floor.py's
# `product_page_with_reviews` builds the same).
PRODUCT_PAGE_BLOCKS = (REVIEWS_BLOCK, QUESTIONS_BLOCK)


def _with_blocks(document: str, name: str, blocks: tuple[str, ...]) -> str:
    """The product page renamed, with `blocks` inside `product { ... }` after its own fields."""
    head, tail = document.rsplit("  }\n}", 1)
    return head.replace("query ProductPage(", f"query {name}(", 1) + "".join(b.lstrip("\n") for b in blocks) \
        + "  }\n}" + tail


PRODUCT_PAGE_WITH_REVIEWS = _with_blocks(PRODUCT_PAGE, "ProductPageWithReviews", PRODUCT_PAGE_BLOCKS)

SEARCH_PAGE = """
query SearchPage($query: String!, $first: Int!, $filter: ProductFilterInput) {
  search(query: $query, first: $first, filter: $filter) {
    totalCount
    correctedQuery
    pageInfo { hasNextPage endCursor }
    nodes {
      id title slug format kind averageRating
      images { url }
      featuredOffer { price { amount currencyCode } primeEligible seller { id name } }
    }
    facets {
      categories { category { id name } count }
      brands { brand { id name } count }
      priceBands { min { amount } max { amount } count }
      kinds { kind count }
      formats { format count }
      inStock outOfStock primeEligible
    }
  }
}
"""

CATEGORY_BROWSE = """
query CategoryBrowse($slug: String!, $first: Int!) {
  category(slug: $slug) {
    id name
    products(first: $first) {
      pageInfo { hasNextPage endCursor }
      nodes { id title slug featuredOffer { price { amount currencyCode } } }
    }
  }
}
"""

# A storefront's product grid: 20 products with what a card shows (a thumbnail is the first image).
PRODUCT_LISTING = """
query ProductListing($first: Int!) {
  products(first: $first) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id title description
      category { id name }
      priceRange { min { amount currencyCode } max { amount currencyCode } offerCount }
      images { url altText }
    }
  }
}
"""

# A reader's library: the signed-in customer's licences with what a shelf shows.
LIBRARY_PAGE = """
query LibraryPage($first: Int!) {
  library(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id kind status title authors coverImageUrl format productKind deviceLimit createdAt }
  }
}
"""

# No resolver, no SQL: what a GraphQL request costs before any field does.
TYPENAME = "{ __typename }"
