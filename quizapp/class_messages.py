"""What classes and assignments say to learners and teachers, in one place (German).

A plain module (no Flask): the quiz and registration views use it as well as ``quizapp.classes``.
"""

from __future__ import annotations

# Joining
WRONG_CODE = (
    "Mit diesem Code ist kein Beitritt möglich: Er ist falsch, abgelaufen oder die Klasse nimmt "
    "gerade niemanden auf. Prüfe den Code oder frag deine Lehrkraft nach dem aktuellen."
)
TOO_MANY_CODES = (
    "Zu viele falsche Codes. Bitte warte {seconds} Sekunden und versuche es dann noch einmal."
)
JOINED = "Du bist jetzt in der Klasse „{name}“."
ALREADY_MEMBER = "Du bist schon in der Klasse „{name}“."
GUEST_CANNOT_JOIN = (
    "Als Gast kannst du keiner Klasse beitreten. Registriere dich mit dem Code – dein "
    "bisheriger Fortschritt bleibt erhalten."
)
TEACHER_CANNOT_JOIN = (
    "Lehrkräfte treten keiner Klasse bei. Lege unter „Lehrkräfte → Klassen“ eine eigene an "
    "oder lass dich von einer Lehrkraft der Klasse hinzufügen."
)
LEFT = "Du hast die Klasse „{name}“ verlassen. Deine Versuche und Karteikarten bleiben dir."

# Starting assignments
REFUSED = {
    "not_open": "Diese Aufgabe beginnt erst am {opens} Uhr. Bis dahin kannst du sie noch nicht "
    "starten.",
    "closed": "Der Abgabetermin ({due} Uhr) ist vorbei; diese Aufgabe kann nicht mehr gestartet "
    "werden.",
    "no_attempts_left": "Du hast alle erlaubten Versuche dieser Aufgabe genutzt ({max} von {max}).",
    "no_questions": "Diese Aufgabe hat gerade keine freigegebenen Fragen. Sag deiner Lehrkraft "
    "Bescheid.",
}
RESUMED = "Du hattest diese Aufgabe schon angefangen. Hier geht es weiter."
TIME_UP = "Die Zeit für diese Aufgabe ist abgelaufen. Offene Fragen zählen als nicht beantwortet."
TIME_UP_ANSWER = (
    "Die Zeit für diese Aufgabe ist abgelaufen; diese Antwort zählt nicht mehr. Offene Fragen "
    "zählen als nicht beantwortet."
)
FEEDBACK_LATER = (
    "Deine Antwort ist gespeichert. Ob sie richtig war, siehst du nach dem Abgabetermin "
    "({due} Uhr)."
)
DECK_STARTED = (
    "Deine Karteikarten zeigen jetzt den Stapel „{deck}“. Die Auswahl kannst du unter "
    "„Karteikarten“ wieder ändern."
)

# Teachers: classes
CLASS_CREATED = "Die Klasse „{name}“ ist angelegt. Gib deinen Lernenden den Code {code}."
CLASS_SAVED = "Die Klasse ist gespeichert."
CODE_CHANGED = {
    "new": "Neuer Code: {code}. Der alte Code gilt nicht mehr.",
    "close": "Der Code ist geschlossen: Niemand kann mehr beitreten, bis du ihn wieder öffnest.",
    "open": "Der Code {code} ist wieder offen.",
}
NO_TEACHER = "Eine Lehrkraft mit diesem Benutzernamen gibt es nicht."
TEACHER_ADDED = "{name} unterrichtet die Klasse jetzt mit dir."
MEMBER_REMOVED = "{name} ist nicht mehr in der Klasse. Versuche und Karteikarten bleiben erhalten."
NOT_A_MEMBER = "Diese Person ist nicht (mehr) in der Klasse."
CLASS_DELETED = (
    "Die Klasse „{name}“ ist gelöscht, mit ihren Aufgaben. Der Fortschritt der Lernenden "
    "bleibt erhalten."
)
CONFIRM_NAME = "Zum Löschen gib den Namen der Klasse genau so ein, wie er oben steht."

# Teachers: assignments
ASSIGNMENT_CREATED = "Die Aufgabe „{title}“ ist gestellt."
ASSIGNMENT_SAVED = "Die Aufgabe ist gespeichert."
ASSIGNMENT_DELETED = (
    "Die Aufgabe „{title}“ ist gelöscht. Die Versuche der Lernenden bleiben in ihrem Verlauf."
)
CONTENT_PROBLEMS = {
    "no_questions": "Diese Auswahl hat keine freigegebenen Fragen.",
    "unknown_questions": "Diese Fragen gibt es nicht oder sie sind nicht freigegeben: {ids}.",
    "too_many": "Ein Quiz hat höchstens 50 Fragen, gewählt sind {n}.",
    "no_topic": "Bitte wähle ein Thema.",
    "no_document": "Bitte wähle ein Dokument.",
}
BAD_TIME = "Bitte gib Datum und Uhrzeit an, z. B. 21.11.2026 14:30."
OPENS_AFTER_DUE = "Der Beginn muss vor dem Abgabetermin liegen."
DUE_IN_PAST = "Der Abgabetermin liegt in der Vergangenheit."
DUE_NEEDED_FOR_FEEDBACK = "Für „Rückmeldung erst nach dem Abgabetermin“ braucht es einen Termin."
DUE_NEEDED_FOR_DECK = "Ein Stapel braucht einen Termin, bis zu dem alle Karten gelernt sind."
BAD_ATTEMPTS = "Bitte eine Zahl von 1 bis 20 – oder leer lassen für beliebig viele Versuche."
BAD_TIME_LIMIT = (
    "Bitte eine Zahl von 1 bis 600 Minuten – oder leer lassen für keine Zeitbegrenzung."
)
BAD_COUNT = "Bitte eine Zahl von 1 bis 50."
DECK_SOURCE = "Ein Stapel ist ein Thema oder ein Dokument."

# Grade book
GRADEBOOK_QUIZ_HEADER = (
    "Name",
    "Status",
    "Versuche",
    "Punkte",
    "Höchstpunktzahl",
    "Prozent",
    "Benötigte Zeit (Minuten)",
    "Begonnen",
    "Beendet",
)
GRADEBOOK_DECK_HEADER = ("Name", "Status", "Gelernte Karten", "Karten", "Erledigt am")
STATUS_NAMES = {
    "not_started": "nicht begonnen",
    "started": "begonnen",
    "finished": "fertig",
    "done": "erledigt",
}
