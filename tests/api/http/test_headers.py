"""`Vary` is one header that several layers add to, each name once."""
import pytest

from api.http.headers import add_vary


@pytest.mark.parametrize("headers, names, expected", [
    ([(b"a", b"1")], (b"Origin",), [(b"a", b"1"), (b"vary", b"Origin")]),
    ([(b"vary", b"Accept"), (b"a", b"1")], (b"Origin", b"accept"), [(b"vary", b"Accept, Origin"), (b"a", b"1")]),
    ([(b"Vary", b"Accept, Origin"), (b"vary", b"Accept-Encoding")], (b"Origin",),
     [(b"vary", b"Accept, Origin, Accept-Encoding")]),
    ([(b"vary", b"*")], (b"Origin",), [(b"vary", b"*")]),
    # every name in lower case, as ASGI has them: two `vary` headers, or one among many
    ([(b"vary", b"Accept"), (b"a", b"1"), (b"vary", b"Origin")], (b"Cookie",),
     [(b"a", b"1"), (b"vary", b"Accept, Origin, Cookie")]),
    ([(b"a", b"1"), (b"vary", b"Accept"), (b"b", b"2")], (b"Origin",),
     [(b"a", b"1"), (b"vary", b"Accept, Origin"), (b"b", b"2")]),
    ([(b"VARY", b"Accept"), (b"a", b"1")], (b"Origin",), [(b"vary", b"Accept, Origin"), (b"a", b"1")]),
])
def test_names_are_merged_into_one_vary_header(headers, names, expected):
    assert add_vary(headers, *names) == expected


def test_a_vary_header_that_names_them_all_is_left_as_it_is():
    headers = [(b"content-type", b"application/json"), (b"vary", b"Accept, Accept-Encoding")]
    for _ in range(2):  # worked out, then known
        assert add_vary(headers, b"accept-encoding") is headers
    for _ in range(2):
        assert add_vary(headers, b"Origin") == [(b"content-type", b"application/json"),
                                                 (b"vary", b"Accept, Accept-Encoding, Origin")]
    assert headers == [(b"content-type", b"application/json"), (b"vary", b"Accept, Accept-Encoding")]
