import hashlib

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from chuangcheng.dossiers.models import Material, MaterialAssignment, MaterialStatus
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.standards.tests.factories import MaterialRequirementFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class MaterialAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaterialAssignment

    requirement = factory.SubFactory(MaterialRequirementFactory)
    unit = factory.SubFactory(UnitFactory)


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    requirement = factory.SubFactory(MaterialRequirementFactory)
    unit = factory.SubFactory(UnitFactory)
    year = 2026
    title = factory.Sequence(lambda n: f"资料{n}")
    file = factory.LazyAttribute(lambda o: ContentFile(PDF + o.title.encode(), name="m.pdf"))
    original_name = "资料.pdf"
    kind = "pdf"
    size = len(PDF)
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(PDF + o.title.encode()).hexdigest())
    status = MaterialStatus.SUBMITTED
    uploaded_at = factory.LazyFunction(timezone.now)
