"""The minutes' canonical content and its SHA-256: what every signature is bound to.

The content is everything a signer vouches for: time, place, attendees, agenda, discussion,
decision, resolution of failed reviews, owners and milestones. It is serialised as JSON with
sorted keys and no insignificant whitespace, so equal minutes always give the same hash.
"""

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.utils import timezone

from gendan.reviews.models import ReviewMeeting


def canonical_content(meeting: ReviewMeeting) -> dict[str, Any]:
    return {
        "order": meeting.order.number,
        "round": meeting.round,
        "organiser": meeting.organiser.username,
        "held_at": timezone.localtime(meeting.held_at).isoformat(timespec="minutes"),
        "place": meeting.place,
        "attendees": sorted(meeting.attendees.values_list("username", flat=True)),
        "agenda": meeting.agenda,
        "discussion": meeting.discussion,
        "decision": meeting.decision,
        "decision_notes": meeting.decision_notes,
        "fail_resolution": meeting.fail_resolution,
        "actions": [
            [
                action.position,
                action.description,
                action.owner.username if action.owner else "",
                action.department.code if action.department else "",
                action.due_date.isoformat(),
            ]
            for action in meeting.actions.select_related("owner", "department")
        ],
    }


def canonical_json(meeting: ReviewMeeting) -> str:
    return json.dumps(
        canonical_content(meeting), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def content_hash(meeting: ReviewMeeting) -> str:
    return hashlib.sha256(canonical_json(meeting).encode("utf-8")).hexdigest()


def seal(*, signer_id: int, signed_at_iso: str, digest: str) -> str:
    """HMAC binding signer, time and content hash under the installation's secret key."""
    message = f"{signer_id}|{signed_at_iso}|{digest}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
