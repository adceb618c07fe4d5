"""Command-line tools that ship with pulumi-digicert (``python -m pulumi_digicert.tools.<name>``).

* :mod:`pulumi_digicert.tools.reliability`: the reliability and security campaign, run against
  a local sandbox through the real dynamic-provider host (needs the ``dev`` extra).
"""
