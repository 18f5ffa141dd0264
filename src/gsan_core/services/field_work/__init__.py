"""Field work II: selective commands and their emission (``gsan.field_work``)."""

from gsan_core.services.field_work.selective import SelectiveRun
from gsan_core.services.field_work.service import FieldWorkService

__all__ = ["FieldWorkService", "SelectiveRun"]
