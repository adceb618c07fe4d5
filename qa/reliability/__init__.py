"""The reliability and security campaign: the provider's three promises under faults, load and
bad input, measured against a real sandbox through the real dynamic-provider host.

Run it from the repository root, with the ``dev`` extra installed::

    python -m qa.reliability --mode full --seed 20240607 --json qa/reliability/results/full.json

``tests/reliability/`` runs every section in its short mode, one test module per module here.

Sections (each returns figures and a list of problems; a run passes when none reports one), one
module each:

* :mod:`~qa.reliability.never_buy_twice`: order creates while responses are lost after commit,
  requests fail with 5xx, a maintenance window refuses connections and another client fills the
  rate-limit window; every failed Create runs again as the next ``pulumi up`` would.
* :mod:`~qa.reliability.preview`: Check and Diff of every resource with no credentials, counted
  at the sandbox; each asked twice, and once more by a configured host.
* :mod:`~qa.reliability.bad_input`: generated inputs to every Check, damaged and older-version
  saved states to Diff, Read, Update and Delete, accepted inputs to Create
  (:mod:`~qa.reliability.entry_points`, cases from :mod:`~qa.reliability.fuzzing`).
* :mod:`~qa.reliability.sandbox_input`: the sandbox's own fuzzing (no provider code).
* :mod:`~qa.reliability.drift`: objects changed or removed behind the provider's back, then read.
* :mod:`~qa.reliability.concurrency`: creates fired at once at the host's four threads.
* :mod:`~qa.reliability.crash_recovery`: the host killed with SIGKILL mid-create, then
  ``pulumi up`` again through the engine-faithful harness.
* :mod:`~qa.reliability.hostile_answers`: creates against a hostile CertCentral.
* :mod:`~qa.reliability.bad_keys`: keys that cannot be headers, a wrong key, leaky base URLs.
* ``secrets`` (:mod:`~qa.reliability.surfaces`, scanner in :mod:`~qa.reliability.scan`): every
  gRPC response, state blob, log line and error message of all sections, scanned for the keys
  and card numbers used.

The shared steps are in :mod:`~qa.reliability.campaign`, the run in :mod:`~qa.reliability.run`,
the published table and JSON in :mod:`~qa.reliability.report`.
"""
