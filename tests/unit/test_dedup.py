from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.dedup import Assignment, Member, changed, cluster, shingles, signature

pytestmark = pytest.mark.unit

WIRE = (
    "GOMA, Democratic Republic of Congo — Fighting between M23 rebels and pro-government militias flared on "
    "Friday north of Goma, forcing thousands of families to flee toward the city, residents and aid workers "
    "said. The clashes around Kibumba and Kanyaruchinya broke a week of relative calm along the front line. "
    "The United Nations refugee agency said at least 12,000 people had arrived in camps on the edge of Goma "
    "since Thursday, many of them women and children who walked through the night. Congo's army said it "
    "repelled an attack on its positions and accused Rwanda of backing the rebels, a charge Kigali denies."
)
SYNDICATED = WIRE.replace("on Friday", "on Friday morning") + " Reporting by Patrick Ilunga; editing by Sarah Mbeki."
OTHER = (
    "KHARKIV, Ukraine — Russian missiles and drones struck energy facilities across the Kharkiv region overnight, "
    "leaving hundreds of thousands of homes without power as temperatures dropped below freezing, officials said. "
    "The regional governor said repair crews were working to restore heating to hospitals first."
)


def member(article_id: str, text: str, day: int) -> Member:
    return Member(article_id, datetime(2026, 11, day, tzinfo=UTC), signature(text))


def test_syndicated_copies_share_a_cluster_named_after_the_earliest_copy() -> None:
    members = [member("b-later", SYNDICATED, 22), member("a-first", WIRE, 21), member("c-other", OTHER, 21)]
    result = cluster(members, threshold=0.5)
    assert result["a-first"] == Assignment("a-first", None)
    assert result["b-later"] == Assignment("a-first", "a-first")
    assert result["c-other"] == Assignment("c-other", None)


def test_the_result_does_not_depend_on_input_order() -> None:
    members = [member("x", WIRE, 21), member("y", SYNDICATED, 21), member("z", OTHER, 23)]
    assert cluster(members, 0.5) == cluster(list(reversed(members)), 0.5)
    assert cluster(members, 0.5)["y"] == Assignment("x", "x")


def test_signatures_are_deterministic_bytes() -> None:
    assert signature(WIRE) == signature(WIRE)
    assert len(signature(WIRE)) == 128 * 8
    assert signature(WIRE) != signature(OTHER)


def test_shingles_fold_case_and_short_texts_are_one_shingle() -> None:
    assert shingles("Breaking news from Goma today, officials said") == shingles(
        "BREAKING NEWS FROM GOMA TODAY, officials SAID"
    )
    assert shingles("Too short") == {b"too short"}


def test_changed_reports_published_rows_whose_cluster_fields_move() -> None:
    assignments = {"old": Assignment("new", "new"), "same": Assignment("same", None)}
    current = [("old", "old", None), ("same", "same", None), ("unrelated", "u", None)]
    assert changed(assignments, current) == {"old"}
