#!/usr/bin/env bash
# Run an example against a local DigiCert sandbox: nothing is bought, no account is needed.
#
#   bash scripts/quickstart.sh                    # examples/quickstart (the root project)
#   bash scripts/quickstart.sh dns-validation     # examples/dns-validation, stack "sandbox"
#   bash scripts/quickstart.sh partner-billing    # examples/partner-billing, stack "sandbox"
#
# 1. creates .venv (if missing) and installs pulumi-digicert with the sandbox extra;
# 2. starts digicert-sandbox on a free loopback port with a throwaway database and a fresh
#    control token (orders are issued and validations completed a few seconds after they are
#    approved or submitted);
# 3. with the pulumi CLI on PATH: `pulumi up` on a copy of the example project with a local
#    file backend (nothing is sent to Pulumi Cloud), `up` again, `stack output`, `destroy`;
#    without it: the same program through the real provider host (scripts/quickstart_local.py);
# 4. stops the sandbox and removes the throwaway files, whatever happened.
#
# Environment: QUICKSTART_VENV (default .venv), QUICKSTART_SKIP_INSTALL=1 to use the venv as it
# is, QUICKSTART_USE_CLI=auto|yes|no (default auto), PYTHON (default python3).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

EXAMPLE="${1:-quickstart}"
case "$EXAMPLE" in
  quickstart|dns-validation|partner-billing) ;;
  *) printf 'quickstart: unknown example %s; use quickstart, dns-validation or partner-billing\n' "$EXAMPLE" >&2; exit 2 ;;
esac
VENV="${QUICKSTART_VENV:-.venv}"
USE_CLI="${QUICKSTART_USE_CLI:-auto}"
PYTHON="${PYTHON:-python3}"

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'quickstart: %s\n' "$*" >&2; exit 1; }

if [[ ! -x "$VENV/bin/python" ]]; then
  say "creating $VENV"
  "$PYTHON" -m venv "$VENV" || fail "could not create a virtualenv with $PYTHON (Python >= 3.10 needed)"
fi
if [[ "${QUICKSTART_SKIP_INSTALL:-0}" != "1" ]]; then
  say "installing pulumi-digicert[sandbox] into $VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[sandbox]" \
    || fail "pip install failed"
fi
PY="$VENV/bin/python"
[[ -x "$VENV/bin/digicert-sandbox" ]] || fail "$VENV/bin/digicert-sandbox is missing (install the sandbox extra)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/digicert-quickstart.XXXXXX")"
SANDBOX_PID=""
cleanup() {
  if [[ -n "$SANDBOX_PID" ]] && kill -0 "$SANDBOX_PID" 2>/dev/null; then
    kill "$SANDBOX_PID" 2>/dev/null || true
    wait "$SANDBOX_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BASE="http://127.0.0.1:$PORT"
# The sandbox, the examples' sandbox DNS record and quickstart_local.py read the control token
# from here (never from the command line, where other local users could read it).
DIGICERT_SANDBOX_CONTROL_TOKEN="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(24))')"
export DIGICERT_SANDBOX_CONTROL_TOKEN
say "starting digicert-sandbox on $BASE"
"$VENV/bin/digicert-sandbox" --host 127.0.0.1 --port "$PORT" --db "$WORK/sandbox.db" \
  --auto-issue-after 2 --auto-validate-after 2 --log-level warning >"$WORK/sandbox.log" 2>&1 &
SANDBOX_PID=$!

"$PY" - "$BASE" <<'EOF' || { cat "$WORK/sandbox.log" >&2; fail "the sandbox did not start"; }
import sys, time, httpx
from pulumi_digicert.sandbox import SandboxControl
deadline = time.monotonic() + 30
with SandboxControl(sys.argv[1], timeout=1) as control:
    while True:
        try:
            control.settings()
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                sys.exit(1)
            time.sleep(0.2)
EOF

if [[ "$USE_CLI" == "yes" ]] || { [[ "$USE_CLI" == "auto" ]] && command -v pulumi >/dev/null 2>&1; }; then
  command -v pulumi >/dev/null 2>&1 || fail "QUICKSTART_USE_CLI=yes but pulumi is not on PATH"
  # A copy of the project, so the demo stack's settings never touch the repository's files.
  PROJECT="$WORK/project"
  mkdir -p "$WORK/state"
  if [[ "$EXAMPLE" == "quickstart" ]]; then
    STACK=dev
    mkdir -p "$PROJECT/examples"
    cp Pulumi.yaml "$PROJECT/"
    cp -r examples/quickstart "$PROJECT/examples/"
    sed "s#http://127.0.0.1:8787#$BASE#" Pulumi.dev.yaml >"$PROJECT/Pulumi.dev.yaml"
  else
    STACK=sandbox
    cp -r "examples/$EXAMPLE" "$PROJECT"
    sed "s#http://127.0.0.1:8787#$BASE#" "examples/$EXAMPLE/Pulumi.sandbox.yaml" >"$PROJECT/Pulumi.sandbox.yaml"
  fi
  ln -s "$(cd "$VENV" && pwd)" "$PROJECT/.venv"
  export PULUMI_BACKEND_URL="file://$WORK/state"
  export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-quickstart-demo}"
  export PULUMI_SKIP_UPDATE_CHECK=true
  cd "$PROJECT"
  pulumi stack init "$STACK" --non-interactive >/dev/null
  if [[ "$EXAMPLE" == "dns-validation" ]]; then
    pulumi config set --stack "$STACK" dcvWaitSeconds 30
  elif [[ "$EXAMPLE" == "partner-billing" ]]; then
    say "the sandbox creates a partner subaccount"
    "$PY" - "$BASE" <<'EOF'
import sys
from pulumi_digicert.sandbox import SandboxControl
with SandboxControl(sys.argv[1]) as control:
    control.create_partner_subaccount("Subaccount", partner_api_key="sandbox-subaccount-key")
EOF
    pulumi config set --stack "$STACK" --secret billingAccountApiKey sandbox-certcentral-key
    pulumi config set --stack "$STACK" --secret subaccountPartnerApiKey sandbox-subaccount-key
  fi
  say "pulumi up (local file backend in $WORK/state)"
  pulumi up --yes --non-interactive --stack "$STACK"
  say "pulumi up again: nothing to change"
  pulumi up --yes --non-interactive --stack "$STACK" --expect-no-changes
  say "outputs"
  pulumi stack output --stack "$STACK"
  say "pulumi destroy (the sandbox is thrown away too)"
  pulumi destroy --yes --non-interactive --stack "$STACK" >/dev/null
else
  if [[ "$USE_CLI" == "no" ]]; then reason="QUICKSTART_USE_CLI=no"; else reason="the pulumi CLI is not on PATH"; fi
  say "$reason: running examples/$EXAMPLE through the real provider host instead (pulumi_digicert.testing.HostEngine)"
  "$PY" scripts/quickstart_local.py --example "$EXAMPLE" --base-url "$BASE/services/v2"
fi

say "done: the sandbox stops now and its database is removed"
