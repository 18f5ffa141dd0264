"""``python -m gsan_core``."""

from gsan_core.cli import main

raise SystemExit(main())
