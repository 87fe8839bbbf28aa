"""Import and export of the question bank in other formats (Moodle GIFT, CSV, JSON, Anki)."""
