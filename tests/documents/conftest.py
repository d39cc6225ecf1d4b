from tests.reviews.conftest import (  # noqa: F401  (shared fixtures)
    _english,
    _plain_http,
    in_review,
    staff,
)
