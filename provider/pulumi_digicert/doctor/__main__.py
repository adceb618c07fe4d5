"""``python -m pulumi_digicert.doctor``: the same as ``digicert-doctor``."""

from __future__ import annotations

import sys

from pulumi_digicert.doctor.cli import main

if __name__ == "__main__":
    sys.exit(main())
