# Read by the flask command (python-dotenv): `.venv/bin/flask bank stats` works from here as written.
FLASK_APP=quizapp
