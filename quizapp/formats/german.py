"""The import readers' messages in German, for the teacher's web page: plain Python.

The readers (gift, csvio, jsonio, aiken, moodlexml) and the import service write their
messages in English for the command line, as ``source:line: message``. A teacher reads
them on the import page, in German: ``fragen.gift, Zeile 12: „{“ wird nicht mit „}“
geschlossen.`` Every message the readers can write has a pattern here (a test walks the
readers' source and checks it); one without a pattern keeps its English reason behind a
German place.
"""

from __future__ import annotations

import re

_PLACE = re.compile(r"\A(?P<source>.+?):(?P<line>\d+): (?P<message>.*)\Z", re.DOTALL)
_ITEM = re.compile(r"\A(?P<source>.+?):item (?P<item>\d+): (?P<message>.*)\Z", re.DOTALL)
_ID_PLACE = re.compile(r"\A(?P<source>.+?) \((?P<id>[^()]*)\): (?P<message>.*)\Z", re.DOTALL)
_SOURCE = re.compile(r"\A(?P<source>[^:\n]+): (?P<message>.*)\Z", re.DOTALL)

Q = r"'(?P<{}>.*)'"  # a quoted part of a message


def _q(name: str) -> str:
    return Q.format(name)


#: (English message as a regex, German message with the same named groups).
CATALOGUE: list[tuple[str, str]] = [
    # --- GIFT: structure
    ("too many errors, stopped reading here", "Zu viele Fehler; hier wurde nicht weitergelesen."),
    (
        r"more than (?P<n>\d+) questions; split the file",
        "Mehr als {n} Fragen; teile die Datei bitte auf.",
    ),
    (r"further warnings left out", "Weitere Hinweise ausgelassen."),
    (r"\$CATEGORY: without a category path", "„$CATEGORY:“ ohne Kategorie."),
    (
        r"category "
        + _q("category")
        + r" is not a known topic; its questions get the topic "
        + _q("topic"),
        "Die Kategorie „{category}“ ist kein bekanntes Thema; ihre Fragen kommen in das "
        "neue Thema „{topic}“.",
    ),
    (
        r"(?P<kind>essay|description|[\w-]+) question "
        + _q("name")
        + r" skipped: quizapp has no such question kind",
        "Die Frage „{name}“ ({kind_de}) wird übersprungen: diese Fragenart gibt es in "
        "quizapp nicht.",
    ),
    (
        r"repeats the question at (?P<first>.+); imported once",
        "Wiederholt die Frage aus {first_de}; sie wird nur einmal importiert.",
    ),
    (
        r"has the id " + _q("old") + r" of the different question at (?P<first>.+); "
        r"imported as " + _q("new"),
        "Hat dieselbe Kennung „{old}“ wie die andere Frage in {first_de}; sie wird unter "
        "der eigenen Kennung „{new}“ importiert.",
    ),
    (
        r"'id=(?P<id>.*)' is no quizapp id; ignored",
        "„id={id}“ ist keine Kennung von quizapp und wird nicht beachtet.",
    ),
    (
        r"question name opened with '::' is never closed with '::'",
        "Der Name der Frage beginnt mit „::“, wird aber nicht mit „::“ geschlossen.",
    ),
    (r"the question text is empty", "Der Fragetext ist leer."),
    (
        r"'\}' without '\{' before it \(write \\\} for a literal brace\)",
        "„}}“ ohne „{{“ davor (schreibe \\}} für eine geschweifte Klammer im Text).",
    ),
    (
        r"'\{' inside the answer block \(write \\\{ for a literal brace\)",
        "„{{“ im Antwortblock (schreibe \\{{ für eine geschweifte Klammer im Text).",
    ),
    (
        r"'(?P<brace>.)' after the answer block: a question has one answer block "
        r"\(write \\. for a literal brace\)",
        "„{brace}“ nach dem Antwortblock: eine Frage hat nur einen Antwortblock (schreibe "
        "\\{brace} für eine geschweifte Klammer im Text).",
    ),
    (r"'\{' is never closed with '\}'", "„{{“ wird nicht mit „}}“ geschlossen."),
    # --- GIFT: answers
    (
        _q("head") + r" is read as a short answer; true/false needs T, TRUE, F or FALSE "
        r"in capitals",
        "„{head}“ wird als Kurzantwort gelesen; Wahr/Falsch braucht T, TRUE, F oder FALSE "
        "in Großbuchstaben.",
    ),
    (
        r"more than (?P<n>\d+) answers in one question",
        "Mehr als {n} Antworten in einer Frage.",
    ),
    (r"weight '%(?P<w>.*)%' is too long", "Das Gewicht „%{w}%“ ist zu lang."),
    (
        r"weight (?P<w>.*)% is outside -100\.\.100",
        "Das Gewicht {w} % liegt nicht zwischen -100 und 100 %.",
    ),
    (r"empty answer " + _q("text"), "Leere Antwort „{text}“."),
    (
        r"a choice question needs at least two answers",
        "Eine Auswahlfrage braucht mindestens zwei Antworten.",
    ),
    (
        r"answer " + _q("text") + r" has neither '=' nor '~'; read as a wrong answer, "
        r"as Moodle does",
        "Die Antwort „{text}“ hat weder „=“ noch „~“; sie zählt wie in Moodle als falsch.",
    ),
    (
        r"several answers marked '='; quizapp takes " + _q("text"),
        "Mehrere Antworten sind mit „=“ markiert; quizapp nimmt „{text}“.",
    ),
    (
        r"no right answer: mark one with '=' or give right answers a positive %weight%",
        "Keine richtige Antwort: markiere eine mit „=“ oder gib richtigen Antworten ein "
        "positives %Gewicht%.",
    ),
    (
        r"the positive weights add up to (?P<w>.*)%, not 100%",
        "Die positiven Gewichte ergeben zusammen {w} %, nicht 100 %.",
    ),
    (
        r"no answer with full credit \(no weight, or 100%\)",
        "Keine Antwort mit voller Punktzahl (ohne Gewicht oder mit 100 %).",
    ),
    (
        r"feedback of the accepted answer " + _q("text") + r" is dropped",
        "Die Rückmeldung zur akzeptierten Antwort „{text}“ wird nicht übernommen.",
    ),
    (
        r"matching entry " + _q("text") + r" has no '->'",
        "Der Zuordnungseintrag „{text}“ hat kein „->“.",
    ),
    (
        r"matching entry " + _q("text") + r" has nothing after '->'",
        "Beim Zuordnungseintrag „{text}“ steht nichts nach „->“.",
    ),
    (
        r"a matching question needs at least two pairs 'left -> right'",
        "Eine Zuordnung braucht mindestens zwei Paare „links -> rechts“.",
    ),
    (
        r"entries without a left side are kept as extra wrong right-hand answers",
        "Einträge ohne linke Seite bleiben als zusätzliche falsche Antworten rechts erhalten.",
    ),
    (
        r"a numerical question needs an answer, e\.g\. \{#1905\} or \{#1905:2\}",
        "Eine Zahlfrage braucht eine Antwort, z. B. {{#1905}} oder {{#1905:2}}.",
    ),
    (
        r"no numerical answer with full credit \(no weight, or 100%\)",
        "Keine Zahlantwort mit voller Punktzahl (ohne Gewicht oder mit 100 %).",
    ),
    (r"numerical answer " + _q("text") + r" is too long", "Die Zahlantwort „{text}“ ist zu lang."),
    (
        r"numerical answer " + _q("text") + r" is not a range like 1900\.\.1910",
        "Die Zahlantwort „{text}“ ist kein Bereich wie 1900..1910.",
    ),
    (
        r"numerical range " + _q("text") + r" has its minimum above its maximum",
        "Beim Bereich „{text}“ ist das Minimum größer als das Maximum.",
    ),
    (
        r"numerical answer " + _q("text") + r" is not a number with tolerance",
        "Die Zahlantwort „{text}“ ist keine Zahl mit Toleranz (wie 1905:2).",
    ),
    (
        r"numerical answer " + _q("text") + r" has a negative tolerance",
        "Die Zahlantwort „{text}“ hat eine negative Toleranz.",
    ),
    (r"numerical answer " + _q("text") + r" is not a number", "„{text}“ ist keine Zahl."),
    (
        r"'// quizapp: kind=(?P<wanted>.*)' does not fit the answers; read as (?P<kind>\w+)",
        "„// quizapp: kind={wanted}“ passt nicht zu den Antworten; gelesen als {kind_de}.",
    ),
    (
        r"'// quizapp: kind=ordering' needs the right sides 1\., 2\., \.\.\.; read as matching",
        "„// quizapp: kind=ordering“ braucht rechts 1., 2., …; gelesen als Zuordnung.",
    ),
    # --- JSON
    (r"not UTF-8 \(byte offset (?P<n>\d+)\)", "Kein UTF-8 (Byte {n})."),
    (
        r"expected a JSON array of questions",
        "Erwartet wird eine JSON-Liste von Fragen ([ … ]).",
    ),
    (r"more than (?P<n>\d+) questions", "Mehr als {n} Fragen; teile die Datei bitte auf."),
    (r"duplicate id (?P<id>\S+)", "Die Kennung {id} kommt doppelt vor."),
    (r"each question must be a JSON object", "Jede Frage muss ein JSON-Objekt sein ({{ … }})."),
    (r"'(?P<key>\w+)' must be a non-empty string", "„{key}“ muss ein nicht leerer Text sein."),
    (r"unknown kind " + _q("kind"), "Unbekannte Fragenart „{kind}“."),
    (r"unknown status " + _q("status"), "Unbekannter Status „{status}“."),
    (r"each choice needs a 'text'", "Jede Antwort braucht einen „text“."),
    (r"'accepted' must be a list of strings", "„accepted“ muss eine Liste von Texten sein."),
    (r"'tags' must be a list of strings", "„tags“ muss eine Liste von Texten sein."),
    (r"unknown text format " + _q("fmt"), "Unbekanntes Textformat „{fmt}“."),
    # --- CSV
    (r"more than (?P<n>\d+) errors, stopped", "Mehr als {n} Fehler; hier wurde abgebrochen."),
    (
        r"the file is empty; a header row is required",
        "Die Datei ist leer; die erste Zeile muss die Spalten benennen.",
    ),
    (r"more than (?P<n>\d+) rows; split the file", "Mehr als {n} Zeilen; teile die Datei auf."),
    (
        r"duplicate id " + _q("id") + r" \(first at line (?P<first>\d+)\)",
        "Die Kennung „{id}“ kommt doppelt vor (zuerst in Zeile {first}).",
    ),
    (
        r"not valid UTF-8 at byte (?P<n>\d+) \((?P<reason>.*)\); save the file as 'CSV UTF-8'",
        "Kein gültiges UTF-8 bei Byte {n}; speichere die Datei als „CSV UTF-8“.",
    ),
    (r"CSV syntax error: (?P<detail>.*)", "CSV-Syntaxfehler: {detail}"),
    (
        r"unknown column " + _q("name") + r" \(known: (?P<known>.*)\)",
        "Unbekannte Spalte „{name}“ (bekannt: {known}).",
    ),
    (
        r"missing header column\S* (?P<names>.*); the first row must name the columns",
        "Es fehlen die Spalten {names}; die erste Zeile muss die Spalten benennen.",
    ),
    (
        r"cell (?P<n>\d+) has (?P<len>\d+) characters \(at most (?P<max>\d+)\)",
        "Zelle {n} hat {len} Zeichen (höchstens {max}).",
    ),
    (r"missing kind", "Die Fragenart fehlt."),
    (r"cell (?P<n>\d+) has no column name", "Zelle {n} hat keinen Spaltennamen."),
    (r"column " + _q("name") + r" appears twice", "Die Spalte „{name}“ kommt doppelt vor."),
    (
        r"unknown kind " + _q("kind") + r" \(known: (?P<known>.*)\)",
        "Unbekannte Fragenart „{kind}“ (bekannt: {known}).",
    ),
    (r"missing prompt", "Der Fragetext fehlt."),
    (
        r"invalid id " + _q("id") + r": letters, digits, '\.', '_', '-', at most (?P<n>\d+) "
        r"characters",
        "Ungültige Kennung „{id}“: erlaubt sind Buchstaben, Ziffern, „.“, „_“, „-“, höchstens "
        "{n} Zeichen.",
    ),
    (
        r"unknown topic " + _q("topic") + r" \(known: (?P<known>.*)\)",
        "Unbekanntes Thema „{topic}“ (bekannt: {known}).",
    ),
    (
        r"option (?P<n>\d+) is empty \(two '\|' in a row\?\)",
        "Antwort {n} ist leer (zwei „|“ hintereinander?).",
    ),
    (
        r"option (?P<n>\d+): weight (?P<w>.*)% is outside -100\.\.100",
        "Antwort {n}: das Gewicht {w} % liegt nicht zwischen -100 und 100 %.",
    ),
    (
        r"option (?P<n>\d+): 'left => right' pairs are for matching questions only "
        r"\(write '=\\>' for a literal '=>'\)",
        "Antwort {n}: Paare „links => rechts“ gibt es nur bei Zuordnungen (schreibe „=\\>“ "
        "für ein „=>“ im Text).",
    ),
    (
        r"option (?P<n>\d+) " + _q("text") + r" needs 'left => right'",
        "Antwort {n} „{text}“ braucht „links => rechts“.",
    ),
    (
        r"single_choice needs at least 2 options, got (?P<n>\d+)",
        "Eine Einfachauswahl braucht mindestens 2 Antworten, hier sind es {n}.",
    ),
    (
        r"single_choice needs exactly one correct option marked with '\*', got (?P<n>\d+)",
        "Eine Einfachauswahl braucht genau eine mit „*“ markierte richtige Antwort, hier "
        "sind es {n}.",
    ),
    (
        r"single_choice needs an option with full credit: mark it with '\*' "
        r"\(without a weight, or 100%:\)",
        "Eine Einfachauswahl braucht eine Antwort mit voller Punktzahl: markiere sie mit „*“ "
        "(ohne Gewicht oder mit 100%:).",
    ),
    (
        r"answer " + _q("answer") + r" is not an option with full credit \(" + _q("option") + r"\)",
        "Die Antwort „{answer}“ ist keine Antwort mit voller Punktzahl („{option}“).",
    ),
    (
        r"answer " + _q("answer") + r" is not the correct option " + _q("option"),
        "Die Antwort „{answer}“ ist nicht die richtige Antwort „{option}“.",
    ),
    (
        r"multiple_choice needs at least 2 options, got (?P<n>\d+)",
        "Eine Mehrfachauswahl braucht mindestens 2 Antworten, hier sind es {n}.",
    ),
    (
        r"multiple_choice needs at least one correct option \('\*' or a weight above 0\)",
        "Eine Mehrfachauswahl braucht mindestens eine richtige Antwort („*“ oder ein Gewicht "
        "über 0).",
    ),
    (
        r"ordering needs at least 3 items in the right order, got (?P<n>\d+)",
        "Eine Reihenfolge braucht mindestens 3 Einträge, hier sind es {n}.",
    ),
    (
        r"matching needs at least 2 pairs 'left => right', got (?P<n>\d+)",
        "Eine Zuordnung braucht mindestens 2 Paare „links => rechts“, hier sind es {n}.",
    ),
    (r"true_false takes no choices", "Wahr/Falsch hat keine Antwortliste."),
    (r"missing answer", "Die Antwort fehlt."),
    (
        r"true_false answer must be 'wahr' or 'falsch'",
        "Bei Wahr/Falsch ist die Antwort „wahr“ oder „falsch“.",
    ),
    (r"cloze prompt needs the gap '(?P<gap>.*)'", "Ein Lückentext braucht die Lücke „{gap}“."),
    (
        r"date answer " + _q("answer") + r" is not a German date \(.*\)",
        "„{answer}“ ist kein Datum (z. B. „5. September 1905“, „05.09.1905“, "
        "„September 1905“, „1905“).",
    ),
    (
        r"numerical tolerance " + _q("text") + r" is negative",
        "Die Toleranz „{text}“ ist negativ.",
    ),
    (
        r"numerical answer " + _q("text") + r" is not a number \(.*\)",
        "„{text}“ ist keine Zahl (z. B. „1905“, „3,5“, „1905:2“ oder „1900..1910“).",
    ),
    (
        r"numerical range (?P<low>.*)\.\.(?P<high>.*) is empty",
        "Der Bereich {low}..{high} ist leer.",
    ),
    # --- Aiken
    (
        r"'ANSWER:' without a question and options",
        "„ANSWER:“ ohne Frage und Antworten davor.",
    ),
    (
        r"the question of line (?P<n>\d+) has no 'ANSWER:' line after its options",
        "Nach den Antworten der Frage aus Zeile {n} fehlt die Zeile „ANSWER: …“.",
    ),
    (
        r"the question has no 'ANSWER:' line at the end of the file",
        "Der Frage fehlt am Ende der Datei die Zeile „ANSWER: …“.",
    ),
    (r"an option letter is used twice", "Ein Buchstabe steht vor zwei Antworten."),
    (r"a question needs at least two options", "Eine Frage braucht mindestens zwei Antworten."),
    (
        r"'ANSWER: (?P<letter>.*)' names no option \(options: (?P<letters>.*)\)",
        "„ANSWER: {letter}“ nennt keine der Antworten ({letters}).",
    ),
    # --- Moodle XML
    (r"not well-formed XML: (?P<detail>.*)", "Kein gültiges XML: {detail}"),
    (
        r"XML with a DTD or entities is not accepted",
        "XML mit DTD oder Entitäten wird nicht angenommen.",
    ),
    (r"the root element is not <quiz>", "Das äußerste Element ist nicht <quiz>."),
    (r"a question has no type", "Eine Frage hat keinen Typ (type=…)."),
    (
        r"answer fraction " + _q("text") + r" is not a number",
        "Der Anteil „{text}“ einer Antwort ist keine Zahl.",
    ),
    (
        r"a (?P<kind>\w+) question needs answers",
        "Eine Frage vom Typ {kind} braucht Antworten.",
    ),
    # --- the import service
    (r"unknown format " + _q("fmt"), "Unbekanntes Format „{fmt}“."),
    (r"unknown export format (?P<fmt>.*)", "Unbekanntes Exportformat {fmt}."),
    (
        r"cannot tell the format; choose (?P<names>.*)",
        "Das Format lässt sich nicht erkennen; wähle eines aus ({names}).",
    ),
    (
        r"the file holds no question to import",
        "Die Datei enthält keine Frage, die sich importieren lässt.",
    ),
]

#: Moodle's and quizapp's question kinds, for the messages above.
KIND_NAMES_DE = {
    "essay": "Freitext-Aufsatz",
    "description": "Beschreibung ohne Frage",
    "multianswer": "Lückentext mit eingebetteten Antworten",
    "calculated": "berechnete Frage",
    "calculatedsimple": "berechnete Frage",
    "calculatedmulti": "berechnete Auswahlfrage",
    "ddwtos": "Drag-and-drop in Text",
    "ddimageortext": "Drag-and-drop auf Bild",
    "ddmarker": "Drag-and-drop-Markierung",
    "gapselect": "Lückenauswahl",
    "randomsamatch": "zufällige Zuordnung",
    "random": "Zufallsfrage",
    "single_choice": "Einfachauswahl",
    "multiple_choice": "Mehrfachauswahl",
    "true_false": "Wahr/Falsch",
    "typed": "Freitext",
    "cloze": "Lückentext",
    "date": "Datum",
    "ordering": "Reihenfolge",
    "matching": "Zuordnung",
    "numerical": "Zahl",
}

_COMPILED = [(re.compile(pattern + r"\Z", re.DOTALL), german) for pattern, german in CATALOGUE]


def german_place(place: str) -> str:
    """Return "file:12" as "file, Zeile 12" (and "file:item 3" as "file, Frage 3")."""
    if found := re.fullmatch(r"(?P<source>.+):(?P<line>\d+)", place, re.DOTALL):
        return f"{found['source']}, Zeile {found['line']}"
    if found := re.fullmatch(r"(?P<source>.+):item (?P<item>\d+)", place, re.DOTALL):
        return f"{found['source']}, Frage {found['item']}"
    return place


def german_reason(message: str) -> str | None:
    """Return a reader's English message in German, or None if it has no pattern."""
    for pattern, german in _COMPILED:
        found = pattern.match(message)
        if found is None:
            continue
        values = found.groupdict()
        if "first" in values:
            values["first_de"] = german_place(values["first"])
        if "kind" in values:
            values["kind_de"] = KIND_NAMES_DE.get(values["kind"], values["kind"])
        return german.format(**values)
    return None


def german(message: str) -> str:
    """Return a whole ``source:line: message`` in German for the web page.

    Messages that are German already (the editor's checks) keep their reason; only the
    place is written the German way.
    """
    for shape, place in (
        (_PLACE, "{source}, Zeile {line}"),
        (_ITEM, "{source}, Frage {item}"),
        (_ID_PLACE, "{source} ({id})"),
        (_SOURCE, "{source}"),
    ):
        found = shape.match(message)
        if found is None:
            continue
        values = found.groupdict()
        reason = values.pop("message")
        return f"{place.format(**values)}: {german_reason(reason) or reason}"
    return german_reason(message) or message
