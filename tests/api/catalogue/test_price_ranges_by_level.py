"""A list of products whose items ask for their price range and no featured offer loads the
ranges alone (one aggregate statement, no offer read); asked with the featured offer, both come
from the offer summaries. The ranges are the same either way."""
from tests.conftest import count_statements

RANGES = """query Ranges($first: Int!) { products(first: $first) { nodes { id
  priceRange { min { amount currencyCode } max { amount currencyCode } offerCount memberMin { amount } }
  rental: priceRange(purchaseOption: RENT) { min { amount } offerCount } } } }"""
WITH_FEATURED = RANGES.replace("nodes { id", "nodes { id featuredOffer { id }")


async def test_ranges_alone_are_loaded_without_the_offers_and_equal_the_summaries(gql):
    with count_statements() as alone:
        ranges = (await gql(RANGES, {"first": 50}))["data"]["products"]["nodes"]
    with count_statements() as featured:
        summaries = (await gql(WITH_FEATURED, {"first": 50}))["data"]["products"]["nodes"]
    assert alone.count == featured.count == 2  # the page's products, then their ranges or summaries
    assert "array_agg" in alone.statements[1] and "DISTINCT ON" not in alone.statements[1]
    assert "DISTINCT ON" in featured.statements[1]
    assert [{k: v for k, v in node.items() if k != "featuredOffer"} for node in summaries] == ranges
    assert sum(node["priceRange"] is not None for node in ranges) > 40
