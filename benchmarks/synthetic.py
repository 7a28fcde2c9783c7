"""A franchise-shaped synthetic dataset of any size, for the scale benchmarks.

It uses the project's vocabulary the way the shipped data does, so every
named query finds rows: shows with seasons and episodes, people playing
characters through role nodes (some characters depicting historical figures),
crew, places in one long chain of containment (a deep path for ``+`` and ``*``), real events
and in-universe events diverging from them, and sources, each source's claims
in its own named graph with identity (types, labels) in ``graph/entities``.

    python benchmarks/synthetic.py 100000 -o /tmp/synthetic-100k.nq

writes about 100,000 quads of N-Quads. The output is deterministic for a
size and seed.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

BASE = "https://w3id.org/fam-kg/"
SCHEMA = "https://schema.org/"
FAMV = "https://w3id.org/fam-kg/vocab#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
ENTITIES = f"<{BASE}graph/entities>"
SOURCES = f"<{BASE}graph/sources>"

# Quads one show contributes, roughly: used to pick how many shows make the size asked for.
QUADS_PER_SHOW = 848


def iri(path: str) -> str:
    return f"<{BASE}{path}>"


def text(value: str, lang: str = "en") -> str:
    return f'"{value}"@{lang}'


def typed(value: str, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def quads(size: int, seed: int = 1969) -> Iterator[str]:
    """N-Quads lines, about ``size`` of them."""
    rng = random.Random(seed)
    shows = max(1, size // QUADS_PER_SHOW)
    people = max(10, shows * 12)
    places = max(5, shows * 12)
    made = 0

    def quad(s: str, p: str, o: str, g: str) -> str:
        nonlocal made
        made += 1
        return f"{s} <{p}> {o} {g} .\n"

    def entity(path: str, cls: str, label: str) -> Iterator[str]:
        yield quad(iri(path), RDF_TYPE, f"<{cls}>", ENTITIES)
        yield quad(iri(path), LABEL, text(label), ENTITIES)

    first_source = iri("source/s0")
    for n in range(places):
        yield from entity(f"place/p{n}", SCHEMA + "Place", f"Place {n}")
        if n:  # one long chain of containment: what transitive paths (+, *) have to walk
            yield quad(iri(f"place/p{n}"), SCHEMA + "containedInPlace", iri(f"place/p{n - 1}"), first_source)
    for n in range(people):
        yield from entity(f"person/person-{n}", SCHEMA + "Person", f"Person {n}")
    for show in range(shows):
        year = 1960 + show % 60
        source = iri(f"source/s{show}")
        other = iri(f"source/t{show}")
        for name, day in ((source, f"{2000 + show % 25}-01-15"), (other, f"{2001 + show % 25}-06-30")):
            yield quad(name, RDF_TYPE, f"<{FAMV}Source>", SOURCES)
            yield quad(name, SCHEMA + "name", text(f"Article about show {show}"), SOURCES)
            yield quad(name, SCHEMA + "publisher", f'"Publisher {show % 40}"', SOURCES)
            yield quad(name, SCHEMA + "datePublished", typed(day, "date"), SOURCES)
            yield quad(name, SCHEMA + "url", f"<https://example.org/{show}/{day}>", SOURCES)
        series = f"show/show-{show}"
        yield from entity(series, SCHEMA + "TVSeries", f"Show {show}")
        yield quad(iri(series), RDF_TYPE, f"<{FAMV}FranchiseShow>", ENTITIES)
        if show:
            yield quad(iri(series), FAMV + "spinoffOf", iri(f"show/show-{rng.randrange(show)}"), source)
        yield quad(iri(series), SCHEMA + "creator", iri(f"person/person-{rng.randrange(people)}"), source)
        yield quad(iri(series), FAMV + "filmingLocation", iri(f"place/p{rng.randrange(places)}"), source)
        real = f"event/real-{show}"
        invented = f"event/invented-{show}"
        yield from entity(real, f"{FAMV}RealEvent", f"Real event {show}")
        yield from entity(invented, f"{FAMV}InUniverseEvent", f"Invented event {show}")
        yield quad(iri(real), SCHEMA + "startDate", typed(f"{year}-07-20", "date"), source)
        yield quad(iri(invented), SCHEMA + "startDate", typed(f"{year}-06-26", "date"), source)
        yield quad(iri(invented), FAMV + "divergesFrom", iri(real), source)
        for number in range(1, 6):
            season = f"season/show-{show}-{number}"
            yield from entity(season, SCHEMA + "TVSeason", f"Show {show} season {number}")
            yield quad(iri(season), SCHEMA + "partOfSeries", iri(series), source)
            yield quad(iri(season), SCHEMA + "seasonNumber", typed(str(number), "integer"), source)
            yield quad(iri(season), SCHEMA + "startDate", typed(f"{2019 + number}-0{number}-01", "date"), source)
            episodes = 10
            # The later source disagrees with the first about a few episode counts, as real sources do.
            yield quad(iri(season), SCHEMA + "numberOfEpisodes", typed(str(episodes), "integer"), source)
            if rng.random() < 0.1:
                yield quad(iri(season), SCHEMA + "numberOfEpisodes", typed(str(episodes - 1), "integer"), other)
            for episode in range(1, episodes + 1):
                path = f"episode/show-{show}-{number}-{episode}"
                yield from entity(path, SCHEMA + "TVEpisode", f"Show {show} S{number}E{episode}")
                yield quad(iri(path), SCHEMA + "partOfSeason", iri(season), source)
                yield quad(iri(path), SCHEMA + "episodeNumber", typed(str(episode), "integer"), source)
                yield quad(iri(path), SCHEMA + "director", iri(f"person/person-{rng.randrange(people)}"), source)
            for _ in range(12):
                actor = rng.randrange(people)
                character = f"character/c{show}-{number}-{actor}"
                role = f"role/r{show}-{number}-{actor}"
                yield from entity(character, FAMV + "Character", f"Character {show}-{actor}")
                yield from entity(role, SCHEMA + "PerformanceRole", f"Person {actor} in Show {show}")
                for claim in (source, other) if rng.random() < 0.3 else (source,):
                    yield quad(iri(role), SCHEMA + "actor", iri(f"person/person-{actor}"), claim)
                    yield quad(iri(role), FAMV + "character", iri(character), claim)
                yield quad(iri(role), FAMV + "inShow", iri(series), source)
                yield quad(iri(role), FAMV + "inSeason", iri(season), source)
        if made >= size:
            return


def write(size: int, path: Path, seed: int = 1969) -> int:
    """Write about ``size`` quads to ``path``; returns how many."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for line in quads(size, seed):
            out.write(line)
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", type=int, help="about how many quads")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    print(f"{write(args.size, args.output):,} quads → {args.output}")


if __name__ == "__main__":
    main()
