"""quizapp: quizzes and flashcards on the diplomatic history of Russia, Japan and Korea."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from quizapp.config import PROJECT_ROOT, Config, ensure_secret_key, resolve_database_uri
from quizapp.extensions import csrf, db, login_manager, migrate
from quizapp.sessions import RefreshDailySessionInterface


def create_app(
    config_class: type[Config] = Config, instance_path: str | None = None, **overrides: Any
) -> Flask:
    """Create and configure the application; ``overrides`` win over the config class."""
    # QUIZAPP_INSTANCE moves the instance folder (SQLite file, secret key) out of the checkout.
    instance_path = instance_path or os.environ.get("QUIZAPP_INSTANCE") or None
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    app.session_interface = RefreshDailySessionInterface()
    app.config.from_object(config_class)
    app.config.update(overrides)
    instance = Path(app.instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = resolve_database_uri(
        app.config.get("SQLALCHEMY_DATABASE_URI"), instance
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A file has no server that could have dropped the connection: no ping per request.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options.pop("pool_pre_ping", None)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    app.config["SECRET_KEY"] = ensure_secret_key(app.config.get("SECRET_KEY"), instance)
    if app.config["PROXY_COUNT"] > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    from quizapp import models  # noqa: F401  (registers the tables with the metadata)
    from quizapp.database import configure_engine

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])

    from quizapp.auth import bp as auth_bp
    from quizapp.cards import bp as cards_bp
    from quizapp.classes import bp as classes_bp
    from quizapp.classes import teach_bp as teach_classes_bp
    from quizapp.cli import register_cli
    from quizapp.documents import bp as documents_bp
    from quizapp.errors import register_error_handlers
    from quizapp.guards import register_converters, register_guards
    from quizapp.main import bp as main_bp
    from quizapp.quiz import bp as quiz_bp
    from quizapp.reports import bp as reports_bp
    from quizapp.static_files import register_static_versions
    from quizapp.teach import bp as teach_bp
    from quizapp.template_filters import register_filters
    from quizapp.timeline import bp as timeline_bp
    from quizapp.urls import register_url_cache

    register_converters(app)
    blueprints = (
        main_bp,
        auth_bp,
        quiz_bp,
        cards_bp,
        timeline_bp,
        documents_bp,
        reports_bp,
        teach_bp,
        classes_bp,
        teach_classes_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    register_guards(app)
    register_error_handlers(app)
    register_cli(app)
    register_filters(app)
    register_static_versions(app)
    register_url_cache(app)
    return app
