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
