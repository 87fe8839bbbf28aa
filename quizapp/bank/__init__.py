"""Plain-Python question bank: text in, questions out. Nothing here imports Flask."""
