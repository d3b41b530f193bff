"""Generated films, series and albums for the Movies & TV and Music departments."""
from __future__ import annotations

import random
from datetime import date

from domain.seed.records import Draft, charm_price

_ADJECTIVES = (
    "Silent", "Crimson", "Last", "Hidden", "Broken", "Golden", "Midnight", "Distant", "Wild",
    "Iron", "Lost", "Electric", "Northern", "Burning", "Quiet", "Secret", "Endless", "Final",
    "Frozen", "Velvet",
)
_NOUNS = (
    "Harbor", "Frontier", "Kingdom", "Horizon", "Empire", "River", "Signal", "Garden", "Storm",
    "Orchard", "Valley", "Machine", "Letter", "Shadow", "Summer", "Station", "Crown",
    "Lighthouse", "Island", "Promise",
)
_FIRST = (
    "Ava", "Ben", "Clara", "Dev", "Elena", "Felix", "Grace", "Hugo", "Iris", "Jonah", "Kira",
    "Leo", "Maya", "Nico", "Olive", "Priya", "Quinn", "Rosa", "Sam", "Tess", "Umar", "Vera",
)
_LAST = (
    "Abbott", "Brennan", "Castillo", "Delacroix", "Ellison", "Fairbanks", "Galloway", "Hart",
    "Ishikawa", "Jovanovic", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Pereira",
    "Quinlan", "Rossi", "Sandoval", "Thorne",
)
_LOGLINES = (
    "When a storm strands a small town, old rivals must work together to survive the night.",
    "A retired detective takes one last case that leads straight back to her past.",
    "Two strangers on a night train discover they share the same secret.",
    "A young inventor's creation changes her family, and her city, forever.",
    "An unlikely crew sets out across the sea in search of a legendary island.",
    "A heartfelt story of friendship, loss and finding the way home.",
    "A fearless journalist uncovers a conspiracy that reaches the highest office.",
    "Laughter, chaos and one very long road trip.",
)
_DOC_SUBJECTS = ("Oceans", "Mountains", "The Arctic", "Deep Space", "Coral Reefs",
                 "Ancient Rome", "The Amazon", "Volcanoes", "Great Cities", "Wild Africa")
_KIDS_HEROES = ("Pip the Fox", "Captain Otter", "Luna Bear", "Max and Mabel", "Little Penguin",
                "Professor Hoot")
_MOVIE_GENRES = {
    "movies-action-adventure": "action adventure", "movies-comedy": "comedy",
    "movies-drama": "drama", "movies-documentary": "documentary",
    "movies-kids-family": "family film", "movies-tv-series": "series",
}
_VIDEO_FORMATS = (("DVD", 40), ("BLU_RAY", 35), ("STREAMING", 25))

_BAND_NOUNS = ("Owls", "Rivers", "Lanterns", "Satellites", "Foxes", "Pilots", "Wolves",
               "Echoes", "Comets", "Tides")
_MC_PREFIXES = ("Lil", "Young", "Big", "DJ", "MC")
_MC_WORDS = ("Orbit", "Ember", "Saint", "Nova", "Cipher", "Atlas", "Prophet", "Kilo", "Vega")
_COMPOSERS = (("Beethoven", "Symphonies 5 & 7"), ("Mozart", "Piano Concertos 20 & 21"),
              ("Bach", "The Cello Suites"), ("Vivaldi", "The Four Seasons"),
              ("Brahms", "Symphony No. 4"), ("Chopin", "Nocturnes"),
              ("Debussy", "Préludes"), ("Tchaikovsky", "Swan Lake Suite"))
_CITIES = ("Vienna", "Boston", "Lisbon", "Prague", "Seattle", "Oslo", "Montreal")
_MUSIC_GENRES = {"music-rock": "guitar-driven rock", "music-pop": "bright, hook-filled pop",
                 "music-jazz": "late-night jazz", "music-classical": "classical music",
                 "music-hip-hop": "hip-hop"}
_ORDINALS = ("debut", "second", "third", "fourth", "fifth")


def movie(rng: random.Random, shelf_slug: str, studio: str, released: date) -> Draft:
    fmt = _weighted(rng, _VIDEO_FORMATS)
    director = _person(rng)
    base = _movie_title(rng, shelf_slug)
    series = shelf_slug == "movies-tv-series"
    attributes: dict[str, object] = {
        "ageRating": rng.choice(("G", "PG") if shelf_slug == "movies-kids-family"
                                else ("PG", "PG-13", "R", "NR")),
        "releaseYear": released.year,
        "director": director,
    }
    logline = rng.choice(_LOGLINES)
    if series:
        season, episodes = rng.randint(1, 6), rng.randint(6, 22)
        title = f"{base}: Season {season}"
        attributes.update(episodes=episodes, episodeMinutes=rng.choice((22, 30, 45, 55)))
        description = (f"All {episodes} episodes of season {season} of {base}, the "
                       f"{studio} series created by {director}. {logline}")
    else:
        title = base
        attributes["runtimeMinutes"] = rng.randint(78, 175)
        description = (f"{title} ({released.year}) is a {_MOVIE_GENRES[shelf_slug]} from "
                       f"{studio}, directed by {director}. {logline}")
    if fmt != "STREAMING":
        attributes["discs"] = rng.randint(2, 5) if series else rng.choice((1, 1, 2))
    low, high = {"DVD": (7, 20), "BLU_RAY": (12, 30), "STREAMING": (4, 20)}[fmt]
    if series:
        low, high = low + 8, high + 20
    price = charm_price(rng.randint(low, high) * 100)
    # A disc is shipped (PHYSICAL); only a stream is delivered as a VIDEO licence.
    kind = "VIDEO" if fmt == "STREAMING" else "PHYSICAL"
    return Draft(title, kind, fmt, [], attributes, price, description, (600, 900))


def album(rng: random.Random, shelf_slug: str, label: str, released: date) -> Draft:
    fmt = "VINYL" if rng.random() < 0.4 else "CD"
    artist, title = _artist_and_album(rng, shelf_slug)
    tracks = rng.randint(8, 18)
    edition = rng.random()
    if edition < 0.12:
        title += " (Deluxe Edition)"
    elif edition < 0.2:
        title += " (Remastered)"
    attributes: dict[str, object] = {
        "artist": artist, "tracks": tracks, "releaseYear": released.year,
        "discs": rng.choice((1, 1, 1, 2)),
    }
    if fmt == "VINYL":
        attributes["rpm"] = 33
    medium = "Pressed on 180-gram vinyl." if fmt == "VINYL" else "Includes a printed booklet."
    description = (f"{title} is the {rng.choice(_ORDINALS)} album by {artist}, released on "
                   f"{label} in {released.year}: {tracks} tracks of "
                   f"{_MUSIC_GENRES[shelf_slug]}. {medium}")
    price = charm_price(rng.randint(20, 45) * 100 if fmt == "VINYL" else rng.randint(8, 18) * 100)
    return Draft(title, "PHYSICAL", fmt, [artist], attributes, price, description)


def _movie_title(rng: random.Random, shelf_slug: str) -> str:
    adjective, noun = rng.choice(_ADJECTIVES), rng.choice(_NOUNS)
    if shelf_slug == "movies-documentary":
        return f"{rng.choice(_DOC_SUBJECTS)}: The {adjective} {noun}"
    if shelf_slug == "movies-kids-family":
        return f"{rng.choice(_KIDS_HEROES)} and the {adjective} {noun}"
    pattern = rng.randrange(3)
    if pattern == 0:
        return f"The {adjective} {noun}"
    if pattern == 1:
        return f"{adjective} {noun}"
    return f"{noun} of the {adjective} {rng.choice(_NOUNS)}"


def _artist_and_album(rng: random.Random, shelf_slug: str) -> tuple[str, str]:
    album_title = f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"
    if shelf_slug == "music-classical":
        composer, work = rng.choice(_COMPOSERS)
        return f"{rng.choice(_CITIES)} Philharmonic", f"{composer}: {work}"
    if shelf_slug == "music-jazz":
        return f"{_person(rng)} {rng.choice(('Trio', 'Quartet', 'Quintet'))}", album_title
    if shelf_slug == "music-hip-hop":
        return f"{rng.choice(_MC_PREFIXES)} {rng.choice(_MC_WORDS)}", album_title
    if shelf_slug == "music-rock" and rng.random() < 0.7:
        return f"The {rng.choice(_ADJECTIVES)} {rng.choice(_BAND_NOUNS)}", album_title
    return _person(rng), album_title


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]
