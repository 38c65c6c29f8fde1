from tests.conftest import actor, db, db_url, fake_clock  # noqa: F401
