"""Self-tests of pulumi_digicert.testing (the provider-host harness)."""
