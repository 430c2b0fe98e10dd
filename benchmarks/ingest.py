#!/usr/bin/env python3
"""Measure `bilateral ingest`: articles per second and peak RSS of the whole process tree.

Usage:
  python benchmarks/ingest.py --articles 10000 [--backend sqlite|postgresql] [--jobs 2] [--json]
  python benchmarks/ingest.py --corpus ../shared/corpus/newswire.jsonl [--backend ...] [--jobs ...]

Without --corpus, a corpus of distinct ~500-word articles is generated from this file's own templates
(meetings, calls, visits and agreements between officials of 48 countries, with background paragraphs)
and streamed to a JSONL file in --workdir (kept and reused for the same size). Each run ingests the corpus
into a new archive (a SQLite file in --workdir, or a new PostgreSQL database created on --postgres and
dropped afterwards) by running the real command line in a child process; the benchmark polls /proc every
0.2 s and reports the peak of the summed RSS of that process and all its descendants (the workers), and the
CPU time of the whole tree (a figure that, unlike articles/s, does not depend on what else the machine runs),
and the rate over the run's last tenth (from the archive's `ingested_at`: the basis for extrapolating).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

DEFAULT_WORKDIR = Path(os.environ.get("TMPDIR", "/tmp")) / "bilateral-bench"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# (country, demonym, capital, second city)
COUNTRIES = [
    ("Argentina", "Argentine", "Buenos Aires", "Cordoba"),
    ("Australia", "Australian", "Canberra", "Sydney"),
    ("Austria", "Austrian", "Vienna", "Salzburg"),
    ("Brazil", "Brazilian", "Brasilia", "Sao Paulo"),
    ("Canada", "Canadian", "Ottawa", "Toronto"),
    ("Chile", "Chilean", "Santiago", "Valparaiso"),
    ("China", "Chinese", "Beijing", "Shanghai"),
    ("Colombia", "Colombian", "Bogota", "Medellin"),
    ("Egypt", "Egyptian", "Cairo", "Alexandria"),
    ("Ethiopia", "Ethiopian", "Addis Ababa", "Dire Dawa"),
    ("Finland", "Finnish", "Helsinki", "Turku"),
    ("France", "French", "Paris", "Lyon"),
    ("Germany", "German", "Berlin", "Munich"),
    ("Ghana", "Ghanaian", "Accra", "Kumasi"),
    ("Greece", "Greek", "Athens", "Thessaloniki"),
    ("India", "Indian", "New Delhi", "Mumbai"),
    ("Indonesia", "Indonesian", "Jakarta", "Surabaya"),
    ("Iran", "Iranian", "Tehran", "Isfahan"),
    ("Iraq", "Iraqi", "Baghdad", "Basra"),
    ("Ireland", "Irish", "Dublin", "Cork"),
    ("Italy", "Italian", "Rome", "Milan"),
    ("Japan", "Japanese", "Tokyo", "Osaka"),
    ("Jordan", "Jordanian", "Amman", "Aqaba"),
    ("Kenya", "Kenyan", "Nairobi", "Mombasa"),
    ("Malaysia", "Malaysian", "Kuala Lumpur", "Penang"),
    ("Mexico", "Mexican", "Mexico City", "Guadalajara"),
    ("Morocco", "Moroccan", "Rabat", "Casablanca"),
    ("Netherlands", "Dutch", "Amsterdam", "Rotterdam"),
    ("Nigeria", "Nigerian", "Abuja", "Lagos"),
    ("Norway", "Norwegian", "Oslo", "Bergen"),
    ("Pakistan", "Pakistani", "Islamabad", "Karachi"),
    ("Peru", "Peruvian", "Lima", "Cusco"),
    ("Philippines", "Philippine", "Manila", "Cebu"),
    ("Poland", "Polish", "Warsaw", "Krakow"),
    ("Portugal", "Portuguese", "Lisbon", "Porto"),
    ("Qatar", "Qatari", "Doha", "Al Wakrah"),
    ("Russia", "Russian", "Moscow", "Saint Petersburg"),
    ("Saudi Arabia", "Saudi", "Riyadh", "Jeddah"),
    ("Senegal", "Senegalese", "Dakar", "Thies"),
    ("South Africa", "South African", "Pretoria", "Cape Town"),
    ("South Korea", "South Korean", "Seoul", "Busan"),
    ("Spain", "Spanish", "Madrid", "Barcelona"),
    ("Sweden", "Swedish", "Stockholm", "Gothenburg"),
    ("Thailand", "Thai", "Bangkok", "Chiang Mai"),
    ("Turkey", "Turkish", "Ankara", "Istanbul"),
    ("Ukraine", "Ukrainian", "Kyiv", "Lviv"),
    ("Venezuela", "Venezuelan", "Caracas", "Maracaibo"),
    ("Vietnam", "Vietnamese", "Hanoi", "Ho Chi Minh City"),
]
TITLES = [
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Defence Minister",
    "Trade Minister",
    "Energy Minister",
]
GIVEN = (
    "Adrian Amira Bruno Camila Dario Elena Farid Greta Hassan Ines Jonas Karim Lena Marco Nadia Omar Paula "
    "Rafael Samira Tomas Ulla Victor Yara Zoran Anders Bianca Chen Dmitri Esther Felipe Hana Ivan Julia Kofi "
    "Leila Mateo Nikos Olga Pedro Rania Stefan Tariq Vera Wei Yusuf Amara Bogdan Carmen"
).split()
FAMILY = (
    "Almeida Baranov Castellano Dimitriou Eriksen Farouk Grimaldi Haddad Ibarra Jansen Kowalski Lindqvist "
    "Moreau Nakamura Okafor Petrov Quintero Rahimi Santos Takahashi Urbanek Valdivia Wojcik Xenakis Yilmaz "
    "Zamora Abara Bergstrom Cardoso Delacroix Esposito Fischer Gallardo Horvath Iwata Jovanovic Kaplan "
    "Lombardi Mensah Novak Ortega Pereira Rossi Schneider Tanaka Ulloa Varga Weber"
).split()
TOPICS = [
    "energy cooperation",
    "trade and investment",
    "maritime security",
    "public health",
    "agriculture",
    "education and research",
    "climate finance",
    "customs procedures",
    "civil aviation",
    "tourism",
    "digital infrastructure",
    "water management",
    "defence industry",
    "cultural exchange",
    "fisheries",
]
BACKGROUND = [
    "Trade between {a} and {b} reached {n1} billion dollars last year, up {p1} percent from the year before.",
    "Officials said exports of {g1} and {g2} accounted for most of the growth.",
    "The two countries established diplomatic relations in {y1} and opened a joint commission in {y2}.",
    "Analysts in {cap_a} said the talks reflected a wider effort to diversify partners.",
    "Several agreements signed in earlier years have yet to be fully carried out, according to local media.",
    "Business groups from both sides called for fewer barriers to investment and simpler visa rules.",
    "The {g1} sector employs about {n2} thousand people in {a}, according to official figures.",
    "A delegation of {n3} companies accompanied the officials and held meetings with local partners.",
    "Economists expect demand for {g2} to grow by about {p2} percent a year over the next decade.",
    "The joint commission last met in {cap_b} in {y3} and agreed to meet again within two years.",
    "Opposition lawmakers in {a} asked the government to publish the terms of any new arrangements.",
    "Shipping between {city_a} and {city_b} has increased since a new route opened in {y2}.",
    "Students from {b} make up one of the largest groups of foreign students in {a}.",
    "Both governments said the relationship rested on mutual respect and non-interference.",
    "Regional security, migration and the price of {g1} were also on the agenda, officials said.",
    "A survey published in {cap_a} found that {p3} percent of respondents viewed {b} favourably.",
    "The central bank of {a} reported reserves of {n1} billion dollars at the end of the quarter.",
    "Farmers in the {city_a} region rely on imports of fertiliser, much of it shipped from {b}.",
    "Development banks have financed {n3} projects in the two countries since {y1}.",
    "Diplomats described the atmosphere of the talks as frank and constructive.",
]
GOODS = [
    "machinery",
    "grain",
    "vehicles",
    "textiles",
    "pharmaceuticals",
    "fertiliser",
    "steel",
    "coffee",
    "gas",
    "electronics",
    "fruit",
    "timber",
    "chemicals",
    "fish",
    "cotton",
    "copper",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def official(country: int, title: int, era: int) -> str:
    """Return the generated name of the holder of a post in a country in a four-year era."""
    rng = random.Random(country * 7919 + title * 104729 + era * 15485863)
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def article(k: int) -> dict[str, str]:
    """Return the k-th generated article as a JSONL object (distinct text, ~500 words)."""
    rng = random.Random(k)
    date = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(25 * 365))
    ia, ib = rng.sample(range(len(COUNTRIES)), 2)
    a, b = COUNTRIES[ia], COUNTRIES[ib]
    ta, tb = rng.randrange(len(TITLES)), rng.randrange(len(TITLES))
    era = date.year // 4
    name_a, name_b = official(ia, ta, era), official(ib, tb, era)
    who_a = f"{a[1]} {TITLES[ta]} {name_a}"
    who_b = f"{b[1]} {TITLES[tb]} {name_b}"
    back = rng.randrange(1, 6)
    day = WEEKDAYS[(date - dt.timedelta(days=back)).weekday()]
    topic = rng.choice(TOPICS)
    kind = rng.randrange(4)
    if kind == 0:
        lead = f"{who_a} met {who_b} in {b[2]} on {day} to discuss {topic}."
        title = f"{a[0]} and {b[0]} discuss {topic}"
    elif kind == 1:
        lead = f"{who_a} spoke by phone with {who_b} on {day}, and the two discussed {topic}."
        title = f"{a[0]}, {b[0]} leaders hold phone call"
    elif kind == 2:
        lead = f"{who_a} arrived in {b[2]} on {day} for a {rng.randrange(2, 5)}-day official visit to {b[0]}."
        title = f"{a[0]}'s {TITLES[ta].lower()} visits {b[0]}"
    else:
        lead = (
            f"{a[0]} and {b[0]} signed a memorandum of understanding on {topic} in {b[2]} on {day}. "
            f"The document was signed by {who_a} and {who_b}."
        )
        title = f"{a[0]} and {b[0]} sign accord on {topic}"
    surname_a = name_a.split()[-1]
    paragraphs = [
        lead,
        f"{surname_a} said the talks with {b[0]} had been useful and that work would continue.",
    ]
    words = sum(len(p.split()) for p in paragraphs)
    while words < 480:
        fields = {
            "a": a[0],
            "b": b[0],
            "cap_a": a[2],
            "cap_b": b[2],
            "city_a": a[3],
            "city_b": b[3],
            "g1": rng.choice(GOODS),
            "g2": rng.choice(GOODS),
            "n1": f"{rng.randrange(1, 90)}.{rng.randrange(10)}",
            "n2": rng.randrange(5, 900),
            "n3": rng.randrange(3, 120),
            "p1": rng.randrange(2, 40),
            "p2": rng.randrange(1, 9),
            "p3": rng.randrange(20, 80),
            "y1": rng.randrange(1950, 1995),
            "y2": rng.randrange(1996, 2020),
            "y3": rng.randrange(2001, 2024),
        }
        paragraph = " ".join(s.format(**fields) for s in rng.sample(BACKGROUND, 4))
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    paragraphs.append(f"(Generated benchmark article {k}.)")
    return {"id": f"bench-{k}", "date": date.isoformat(), "title": title, "text": "\n\n".join(paragraphs)}


def write_corpus(path: Path, count: int) -> None:
    """Stream `count` generated articles to a JSONL file (kept for later runs of the same size)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as out:
        for k in range(count):
            out.write(json.dumps(article(k), ensure_ascii=False) + "\n")
    partial.rename(path)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def tree_rss(root: int) -> int:
    """Return the summed resident set size, in bytes, of a process and all its descendants."""
    tree = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, []))
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


def run_ingest(url: str, corpus: Path, jobs: int) -> dict[str, float | int | str]:
    """Run `bilateral ingest` in a child process and return its time, summary line and peak tree RSS."""
    command = [sys.executable, "-c", "from bilateral.cli import main; main()", "--db", url, "db", "upgrade"]
    subprocess.run(command, check=True, capture_output=True)
    command[-2:] = ["ingest", "--quiet", "--jobs", str(jobs), str(corpus)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    while child.poll() is None:
        peak = max(peak, tree_rss(child.pid))
        time.sleep(0.2)
    out, err = child.communicate()
    elapsed = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    summary = out.decode().strip()
    if child.returncode not in (0, 1):
        raise SystemExit(f"ingest failed ({child.returncode}): {err.decode()[-2000:]}")
    new = int(summary.split(" new")[0].split()[-1]) if " new" in summary else 0
    failed = int(summary.split(" failed")[0].split()[-1]) if " failed" in summary else 0
    return {
        "seconds": round(elapsed, 1),
        "articles": new + failed,
        "articles_per_s": round((new + failed) / elapsed, 1),
        "peak_rss_mb": round(peak / 2**20, 1),
        "cpu_seconds": round(cpu, 1),
        "ms_cpu_per_article": round(1000 * cpu / max(new + failed, 1), 1),
        "load_average": round(os.getloadavg()[0], 1),
        "summary": summary,
    }


def tail_rate(url: str) -> float | None:
    """Return the articles/s of the run's last tenth, from the archive's own `ingested_at` stamps.

    The writer slows as the archive grows, so this rate, not the average, is what a longer run can be
    extrapolated from.
    """
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            stamps = [row[0] for row in conn.execute(text("SELECT ingested_at FROM articles ORDER BY id"))]
    finally:
        engine.dispose()
    if len(stamps) < 100:
        return None
    tail = stamps[len(stamps) - len(stamps) // 10 :]
    first, last = (dt.datetime.fromisoformat(str(s)) for s in (tail[0], tail[-1]))
    seconds = (last - first).total_seconds()
    return round((len(tail) - 1) / seconds, 1) if seconds > 0 else None


def postgres_database(server: str) -> Iterator[str]:
    """Create a new PostgreSQL database for one run, yield its URL, drop it afterwards."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"bilateral_bench_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    """Generate (or take) a corpus, ingest it into a new archive and print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="size of the generated corpus")
    parser.add_argument("--corpus", type=Path, help="ingest this JSONL corpus instead of a generated one")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--jobs", type=int, default=2, help="extraction processes (--jobs of ingest)")
    parser.add_argument("--postgres", default=os.environ.get("BILATERAL_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--generate-only", action="store_true", help="write the corpus and stop")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)

    if args.corpus is not None:
        if not args.corpus.exists():
            parser.error(f"{args.corpus}: no such file — give the path of a JSONL corpus")
        corpus = args.corpus
    else:
        corpus = args.workdir / f"generated-{args.articles}.jsonl"
        started = time.monotonic()
        write_corpus(corpus, args.articles)
        print(f"corpus {corpus} ready in {time.monotonic() - started:.0f} s", file=sys.stderr)
    if args.generate_only:
        return 0

    if args.backend == "sqlite":
        database = args.workdir / f"bench-{uuid.uuid4().hex[:8]}.db"
        try:
            figures = run_ingest(f"sqlite:///{database}", corpus, args.jobs)
            figures["last_tenth_articles_per_s"] = tail_rate(f"sqlite:///{database}") or "-"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
    else:
        databases = postgres_database(args.postgres)
        url = next(databases)
        try:
            figures = run_ingest(url, corpus, args.jobs)
            figures["last_tenth_articles_per_s"] = tail_rate(url) or "-"
        finally:
            databases.close()
    figures = {"corpus": corpus.name, "backend": args.backend, "jobs": args.jobs, **figures}
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:>16}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
