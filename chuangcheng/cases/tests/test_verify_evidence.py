"""Evidence against fraud at verification: an "after" photo that is the case's own "before" photo (or a near
copy of it) is flagged; verification of the sources the city names needs the verifier's own on-site photo."""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases import services
from chuangcheng.cases.models import Case, CaseSource, CaseStatus, PhotoKind, SourcePolicy
from chuangcheng.cases.tests.factories import jpeg_upload
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.cases.tests.test_api import client_for
from chuangcheng.cases.workflow import Action, transition
from chuangcheng.core.errors import DomainError, NotPermitted

pytestmark = pytest.mark.django_db

# Real pictures (screenshots of a map and of a list page kept in the repository), not generated patterns.
SCREENSHOTS = Path(django_settings.BASE_DIR) / "docs" / "screenshots"


def real_photo(name: str) -> Image.Image:
    image = Image.open(SCREENSHOTS / name).convert("RGB")
    image.thumbnail((800, 800))
    return image


def upload(image: Image.Image, name: str, *, quality: int = 90) -> SimpleUploadedFile:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def before_case(world, image):
    case = case_in_state(world, CaseStatus.SIGNED)
    services.add_case_photos(actor=world.grid, case=case, uploads=[upload(image, "before.jpg")])
    case = transition(Case.objects.get(pk=case.pk), Action.START, actor=world.handler)
    return case


def after_photo(world, case, image_upload):
    case = transition(case, Action.SUBMIT, actor=world.handler, evidence=[image_upload])
    return case.photos.get(kind=PhotoKind.EVIDENCE)


def test_before_photo_resized_and_re_encoded_as_after_photo_is_flagged(world):
    image = real_photo("places_map.png")
    case = before_case(world, image)
    w, h = image.size
    copy = image.resize((int(w * 0.8), int(h * 0.8)))  # a slightly smaller, re-compressed copy
    photo = after_photo(world, case, upload(copy, "after.jpg", quality=70))
    assert "same_as_before" in photo.flags
    client = client_for(world.office)
    labels = client.get(f"/api/v1/cases/{case.pk}/").json()["photos"]
    assert any("与本案问题照片相同或近似" in label for p in labels for label in p["flag_labels"])


def test_the_same_file_as_after_photo_is_flagged(world):
    image = real_photo("places_map.png")
    case = before_case(world, image)
    photo = after_photo(world, case, upload(image, "before.jpg"))
    assert "same_as_before" in photo.flags


def test_a_different_after_photo_is_not_flagged(world):
    case = before_case(world, real_photo("places_map.png"))
    photo = after_photo(world, case, upload(real_photo("cases.png"), "after.jpg"))
    assert "same_as_before" not in photo.flags


def test_detail_page_shows_the_flag_to_the_verifier(client, world):
    image = real_photo("places_map.png")
    case = before_case(world, image)
    after_photo(world, case, upload(image.resize((500, 315)), "after.jpg", quality=60))
    client.force_login(world.inspector)
    assert "疑似以整改前照片充当整改后照片" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_verify_without_a_photo_is_refused_when_the_source_requires_one(world, settings):
    settings.CASES_VERIFY_PHOTO_SOURCES = [CaseSource.PATROL]
    case = case_in_state(world, CaseStatus.SUBMITTED)
    with pytest.raises(DomainError) as exc:
        transition(case, Action.VERIFY, actor=world.inspector)
    assert exc.value.field == "evidence" and "现场核查照片" in exc.value.message
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.status == CaseStatus.SUBMITTED and fresh.version == case.version


def test_verify_with_an_on_site_photo_closes_and_keeps_it(world, settings):
    settings.CASES_VERIFY_PHOTO_SOURCES = [CaseSource.PATROL]
    case = case_in_state(world, CaseStatus.SUBMITTED)
    photo_upload = jpeg_upload("onsite.jpg", taken_at="2099:01:01 10:00:00", gps=(120.005, 30.005), pattern=9)
    case = transition(case, Action.VERIFY, actor=world.inspector, evidence=[photo_upload])
    assert case.status == CaseStatus.CLOSED
    photo = case.photos.get(kind=PhotoKind.VERIFY)
    assert photo.uploaded_by == world.inspector and photo.flags == []
    assert case.transitions.get(action="verify").data["photos"] == [photo.pk]


def test_other_sources_verify_without_a_photo(world, settings):
    settings.CASES_VERIFY_PHOTO_SOURCES = [CaseSource.CITIZEN]
    case = case_in_state(world, CaseStatus.SUBMITTED)
    assert transition(case, Action.VERIFY, actor=world.inspector).status == CaseStatus.CLOSED


def test_verify_form_asks_for_the_photo_and_refuses_without_it(client, world, settings):
    settings.CASES_VERIFY_PHOTO_SOURCES = [CaseSource.PATROL]
    case = case_in_state(world, CaseStatus.SUBMITTED)
    client.force_login(world.inspector)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "现场核查照片（本来源必传）" in page
    url = reverse("cases:transition", args=[case.pk])
    response = client.post(url, {"action": "verify", "version": case.version}, follow=True)
    assert "须由核查人上传现场核查照片" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_api_verify_without_a_photo_names_the_field(world, settings):
    settings.CASES_VERIFY_PHOTO_SOURCES = [CaseSource.PATROL]
    case = case_in_state(world, CaseStatus.SUBMITTED)
    response = client_for(world.inspector).post(
        f"/api/v1/cases/{case.pk}/transitions/", {"action": "verify"}, format="json"
    )
    assert response.status_code in (400, 422)
    assert "现场核查照片" in response.content.decode() and "evidence" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_office_sets_the_sources_on_the_rules_page(client, world):
    client.force_login(world.office)
    page = client.get(reverse("cases:deadline_rules")).content.decode()
    assert "核查须上传现场照片的来源" in page and 'value="patrol"' in page
    response = client.post(reverse("cases:verify_policy"), {"verify_photo_sources": ["patrol", "citizen"]}, follow=True)
    assert "须上传现场核查照片的来源：网格巡查、市民随手拍" in response.content.decode()
    assert services.verify_photo_sources() == {"patrol", "citizen"}
    assert AuditEvent.objects.filter(verb="cases.verify_policy_updated").exists()
    case = case_in_state(world, CaseStatus.SUBMITTED)  # a patrol case
    with pytest.raises(DomainError):
        transition(case, Action.VERIFY, actor=world.inspector)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_the_offices_choice_overrides_the_deployment_default(world, settings):
    settings.CASES_VERIFY_PHOTO_SOURCES = [CaseSource.PATROL]
    assert services.verify_photo_sources() == {"patrol"}
    services.set_verify_photo_sources(actor=world.office, sources=[])
    assert services.verify_photo_sources() == set()
    case = case_in_state(world, CaseStatus.SUBMITTED)
    assert transition(case, Action.VERIFY, actor=world.inspector).status == CaseStatus.CLOSED


def test_only_the_office_sets_the_sources_and_unknown_ones_are_refused(client, world):
    client.force_login(world.inspector)
    assert client.post(reverse("cases:verify_policy"), {"verify_photo_sources": ["patrol"]}).status_code == 403
    with pytest.raises(NotPermitted):
        services.set_verify_photo_sources(actor=world.inspector, sources=["patrol"])
    client.force_login(world.office)
    response = client.post(reverse("cases:verify_policy"), {"verify_photo_sources": ["patrol", "x"]}, follow=True)
    assert "未知的问题来源“x”" in response.content.decode()
    assert services.verify_photo_sources() == set() and not SourcePolicy.objects.exists()
