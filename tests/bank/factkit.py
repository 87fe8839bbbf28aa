"""A small fact base for the tests: one document, states, persons with offices, events."""

from __future__ import annotations

from pathlib import Path

from quizapp.bank.clean import clean_document
from quizapp.bank.facts import FactBase, load_fact_files
from quizapp.bank.types import CleanedDocument

DOCUMENT = "kit.txt"
TEXT = (
    "Am 5. September 1905 wurde der Frieden von Portsmouth unterzeichnet. "
    "Im Juni 1905 nahm der Zar das Vermittlungsangebot an. "
    "Die Konferenz von Jalta fand im Februar 1945 statt. "
    "1918 landeten japanische Truppen in Wladiwostok. "
    "Am 21. November 1940 sprach der Botschafter Tatekawa mit dem Volkskommissar Molotow. "
    "Von 2003 bis 2009 fanden die Sechs-Parteien-Gespräche statt. "
    "Im Jahr 2000 besuchte Putin als erster russischer Staatschef Nordkorea. "
    "Das Abkommen wurde 2012 unterzeichnet und erließ 90 % der Schulden. "
    "Die Grenze ist 17,3 km lang. "
    "Stalin starb 1953."
)

ACTORS = """\
actors:
  - id: russland
    kind: state
    name: Russland
    adjectives: [russisch, sowjetisch]
    names:
      - {name: Russland, to: 6. November 1917}
      - {name: Sowjetunion, from: 30. Dezember 1922, to: 25. Dezember 1991}
      - {name: Russland, from: 26. Dezember 1991}
  - id: japan
    kind: state
    name: Japan
    adjectives: [japanisch]
  - id: usa
    kind: state
    name: USA
    from: 1776
  - id: nordkorea
    kind: state
    name: Nordkorea
    from: 9. September 1948
  - id: korea
    kind: state
    name: Korea
    to: 29. August 1910
  - id: grossbritannien
    kind: state
    name: Großbritannien
  - id: molotow
    name: Wjatscheslaw Molotow
    variants: [Molotow]
    born: 9. März 1890
    died: 8. November 1986
    roles:
      - title: sowjetischer Volkskommissar für auswärtige Angelegenheiten
        office: aussenminister
        state: russland
        from: 3. Mai 1939
        to: 15. März 1946
        at: 21. November 1940
        source: dem Volkskommissar Molotow
        document: kit.txt
  - id: kalinin
    name: Michail Kalinin
    variants: [Kalinin]
    born: 19. November 1875
    died: 3. Juni 1946
    roles:
      - {title: Vorsitzender des Präsidiums des Obersten Sowjets der Sowjetunion, office: staatsoberhaupt, state: russland, from: 17. Januar 1938, to: 19. März 1946}
  - id: berija
    name: Lawrenti Berija
    born: 29. März 1899
    died: 23. Dezember 1953
    roles:
      - {title: Volkskommissar für innere Angelegenheiten, office: minister, state: russland, from: 25. November 1938, to: 29. Dezember 1945}
  - id: kaganowitsch
    name: Lasar Kaganowitsch
    born: 22. November 1893
    died: 25. Juli 1991
    roles:
      - {title: Volkskommissar für Verkehrswesen, office: minister, state: russland, from: 1935, to: 1944}
  - id: dekanosow
    name: Wladimir Dekanosow
    born: 15. Juni 1898
    died: 23. Dezember 1953
    roles:
      - {title: stellvertretender Volkskommissar für auswärtige Angelegenheiten, office: diplomat, state: russland, from: Mai 1939, to: 1947}
  - id: ribbentrop
    name: Joachim von Ribbentrop
    born: 30. April 1893
    died: 16. Oktober 1946
    roles:
      - {title: deutscher Außenminister, office: aussenminister, from: 4. Februar 1938, to: 30. April 1945}
  - id: matsuoka
    name: Yōsuke Matsuoka
    born: 3. März 1880
    died: 27. Juni 1946
    roles:
      - {title: japanischer Außenminister, office: aussenminister, state: japan, from: 22. Juli 1940, to: 18. Juli 1941}
  - id: arita
    name: Hachirō Arita
    born: 21. September 1884
    died: 4. März 1965
    roles:
      - {title: japanischer Außenminister, office: aussenminister, from: 16. Januar 1940, to: 22. Juli 1940}
  - id: iswolski
    name: Alexander Iswolski
    born: 18. März 1856
    died: 16. August 1919
    roles:
      - {title: russischer Außenminister, office: aussenminister, from: Mai 1906, to: September 1910}
  - id: tatekawa
    name: Yoshitsugu Tatekawa
    variants: [Tatekawa]
    born: 3. Oktober 1880
    died: 9. September 1945
    roles:
      - title: japanischer Botschafter in der Sowjetunion
        office: botschafter
        state: japan
        from: Oktober 1940
        to: März 1942
        source: der Botschafter Tatekawa
        document: kit.txt
  - id: stalin
    name: Josef Stalin
    variants: [Stalin]
    born: 18. Dezember 1878
    died: 5. März 1953
    roles:
      - {title: sowjetischer Diktator, office: staatsoberhaupt, state: russland, from: 1927, to: 5. März 1953}
  - id: hitler
    name: Adolf Hitler
    born: 20. April 1889
    died: 30. April 1945
    roles:
      - {title: deutscher Reichskanzler, office: regierungschef, from: 30. Januar 1933, to: 30. April 1945}
  - id: putin
    name: Wladimir Putin
    variants: [Putin]
    born: 7. Oktober 1952
    roles:
      - {title: russischer Präsident, office: staatsoberhaupt, state: russland, from: 31. Dezember 1999, to: 7. Mai 2008}
  - id: kim-jong-il
    name: Kim Jong-il
    born: 16. Februar 1941
    died: 17. Dezember 2011
    roles:
      - {title: Machthaber Nordkoreas, office: staatsoberhaupt, state: nordkorea, from: 8. Juli 1994, to: 17. Dezember 2011}
  - id: jelzin
    name: Boris Jelzin
    born: 1. Februar 1931
    died: 23. April 2007
    roles:
      - {title: russischer Präsident, office: staatsoberhaupt, state: russland, from: 10. Juli 1991, to: 31. Dezember 1999}
  - id: kim-il-sung
    name: Kim Il-sung
    born: 15. April 1912
    died: 8. Juli 1994
    roles:
      - {title: Machthaber Nordkoreas, office: staatsoberhaupt, state: nordkorea, from: 9. September 1948, to: 8. Juli 1994}
  - id: ungewiss
    name: Niemand Bekannt
    roles:
      - {title: Diplomat, office: aussenminister, from: 1900, to: 2000}
"""

EVENTS = """\
document: kit.txt
topic: russisch-japanischer-krieg
events:
  - id: portsmouth
    kind: treaty
    date: 5. September 1905
    what: der Frieden von Portsmouth | wurde | unterzeichnet
    name: der Frieden von Portsmouth
    participants: [russland, japan]
    not_options: [usa]
    source: Am 5. September 1905 wurde der Frieden von Portsmouth unterzeichnet.
    note: Vermittelt hatte Theodore Roosevelt.
    terms:
      - id: sachalin
        text: Im Frieden von Portsmouth trat Russland die südliche Hälfte der Insel [Sachalin] an Japan ab.
        accept: [Sakhalin]
  - id: vermittlung
    kind: agreement
    date: Juni 1905
    what: der Zar | nahm | das Vermittlungsangebot an
    source: Im Juni 1905 nahm der Zar das Vermittlungsangebot an.
  - id: jalta
    kind: conference
    date: Februar 1945
    what: die Konferenz von Jalta | fand | statt
    name: die Konferenz von Jalta
    participants: [stalin, russland, usa, grossbritannien]
    source: Die Konferenz von Jalta fand im Februar 1945 statt.
    topic: korea
  - id: wladiwostok
    kind: battle
    date: 1918
    what: japanische Truppen | landeten | in Wladiwostok
    place: {name: Wladiwostok, phrase: in Wladiwostok}
    participants: [japan]
    source: 1918 landeten japanische Truppen in Wladiwostok.
    topic: japan-russland-vor-1945
  - id: tatekawa-molotow
    kind: meeting
    date: 21. November 1940
    what: Molotow | sprach | mit dem japanischen Botschafter Yoshitsugu Tatekawa
    subject: molotow
    name: das Gespräch zwischen Molotow und Tatekawa
    participants: [molotow, tatekawa]
    source: sprach der Botschafter Tatekawa mit dem Volkskommissar Molotow
    topic: japan-russland-vor-1945
  - id: sechs-parteien
    kind: meeting
    date: 2003
    end: 2009
    what: die Sechs-Parteien-Gespräche | fanden | statt
    name: die Sechs-Parteien-Gespräche
    source: Von 2003 bis 2009 fanden die Sechs-Parteien-Gespräche statt.
    topic: korea
  - id: putin-besuch
    kind: visit
    date: 2000
    what: Wladimir Putin | besuchte | als erster russischer Staatschef Nordkorea
    subject: putin
    participants: [putin, nordkorea]
    source: Im Jahr 2000 besuchte Putin als erster russischer Staatschef Nordkorea.
    topic: korea
  - id: abkommen-2012
    kind: agreement
    date: 2012
    what: Russland | erklärte sich | bereit, [90 %] der Schulden Nordkoreas zu erlassen
    name: das Abkommen über die Schulden Nordkoreas
    participants: [russland, nordkorea]
    source: Das Abkommen wurde 2012 unterzeichnet und erließ 90 % der Schulden.
    topic: korea
    terms:
      - id: grenze
        text: Die Landgrenze zwischen Nordkorea und Russland ist [17,3] Kilometer lang.
        tolerance: 0.3
        source: Die Grenze ist 17,3 km lang.
  - id: stalins-tod
    kind: other
    date: 1953
    what: Josef Stalin | starb |
    subject: stalin
    source: Stalin starb 1953.
    topic: korea
    skip: [actor]
"""


def kit_document() -> CleanedDocument:
    """Return the kit's document, cleaned."""
    return clean_document(DOCUMENT, TEXT)


def write_kit(directory: Path, events: str = EVENTS, actors: str = ACTORS) -> Path:
    """Write the kit's fact files into ``directory``; return it."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "actors.yaml").write_text(actors, encoding="utf-8")
    (directory / "kit.yaml").write_text(events, encoding="utf-8")
    return directory


def kit_base(directory: Path, events: str = EVENTS, actors: str = ACTORS) -> FactBase:
    """Return the kit's fact base, loaded by the real loader."""
    document = kit_document()
    return load_fact_files(write_kit(directory, events, actors), {document.name: document})
