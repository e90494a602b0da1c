"""12345 work orders: reading real exports (``sheet``), the import (``imports``), opening the cases of
imported orders durably (``pending``) and the reply sheet (``replies``). Callers use this package."""

from chuangcheng.public.services.hotline.imports import (  # noqa: F401
    PREVIEW_ROWS,
    choose_header_row,
    import_batch,
    preview,
    upload_batch,
)
from chuangcheng.public.services.hotline.pending import (  # noqa: F401
    PendingResult,
    batch_progress,
    open_cases_for_orders,
    open_pending_order_cases,
)
from chuangcheng.public.services.hotline.replies import REPLY_HEADERS, reply_rows  # noqa: F401
