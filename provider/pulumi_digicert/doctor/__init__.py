"""``digicert-doctor``: checks a real CertCentral account against what the provider assumes.

It only reads (its HTTP layer refuses every method but GET), sends a few dozen requests paced
far below DigiCert's rate limits, and reports a verdict per assumption (holds, differs, could
not tell) with the API.md section each one settles. Its JSON report holds field names, types
and verdicts, never a value, so it can be attached to a bug report.

What belongs here: the command, its settings, its own read-only HTTP layer, the checks
(``checks``, with their table in ``catalogue``) and the report. What does not: the provider's
client, which it checks rather than uses, and anything that writes to an account.
"""

from __future__ import annotations

from pulumi_digicert.doctor.report import Finding, Report, Verdict
from pulumi_digicert.doctor.run import run_doctor
from pulumi_digicert.doctor.settings import DoctorSettings, SettingsError

__all__ = ["DoctorSettings", "Finding", "Report", "SettingsError", "Verdict", "run_doctor"]
