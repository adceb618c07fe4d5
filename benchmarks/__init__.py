"""Performance benchmarks of pulumi-digicert against the local sandbox: API calls per operation
against their minimum, cold start, state size, and large stacks under DigiCert's rate limits
(``python -m benchmarks``; ``--full`` for the README's tables).

What belongs here: the measurements and their report. What does not: the inputs and programs
they declare (:mod:`qa.scenarios`), planted bugs (:mod:`qa.mutations`), and the tests that hold
the figures (``tests/benchmarks``). Development only: never in the wheel, never imported by
``pulumi_digicert``.
"""
