"""What proves pulumi-digicert, kept out of what ships: development only, never in the wheel.

* :mod:`qa.scenarios`: the one set of inputs and programs the tests, the benchmarks and the
  reliability campaign declare (contacts, the organization, the order's subject, the stack
  config that points a provider at a sandbox, one resource of each type).
* :mod:`qa.field_contract`: what a change to each input must plan, written by hand from the
  public contract, so the provider's own field tables can be judged against it.
* :mod:`qa.hostile`: a CertCentral stand-in that answers as a broken proxy might.
* :mod:`qa.mutations`: deliberate bugs planted in a provider host, so a test can watch a guard
  or a published figure turn red.
* :mod:`qa.reliability`: the reliability and security campaign (``python -m qa.reliability``).

What belongs here: code that exercises the provider from outside, imported by ``tests/``,
``benchmarks/`` and the campaign. What does not: anything a user's program, a provider host or
the package imports (``pulumi_digicert`` never imports ``qa``), and test cases themselves
(``tests/``). It needs the ``dev`` extra and runs from a checkout (the repository root on
``sys.path``).
"""
