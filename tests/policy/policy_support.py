"""Test support for the policy pack: programs under mocks, analyzer inputs, the pack process.

* :func:`run_program` runs a Pulumi program under ``pulumi.runtime.set_mocks`` (through
  ``pulumi_digicert.testing.run_program``) and keeps each ``RegisterResource`` request as the
  language host sends it to the engine: the properties with their secret envelopes and unknown
  sentinels, and the property dependencies.
* :func:`resource_args` / :func:`stack_args` turn those registrations into the
  ``ResourceValidationArgs`` / ``StackValidationArgs`` the analyzer builds.
* :func:`analyze_request` / :func:`analyze_stack_request` build the gRPC requests the engine sends.
* :class:`PolicyPackProcess` starts ``policies/`` as its own process the way the CLI does.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import json_format, struct_pb2
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from pulumi_digicert.testing import program as testing_program

REPO = Path(__file__).resolve().parents[2]
POLICIES_DIR = REPO / "policies"
if str(POLICIES_DIR) not in sys.path:
    sys.path.insert(0, str(POLICIES_DIR))

from pulumi_policy import (  # noqa: E402
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)
from pulumi_policy import policy as policy_module  # noqa: E402
from pulumi_policy.proxy import unknown_checking_proxy  # noqa: E402

from digicert_policies import keep_secret_markers  # noqa: E402

PROJECT = "policy-tests"
STACK = "ci"

# The policies read secrets the way the served pack does (see digicert_policies.values).
keep_secret_markers()


@dataclass
class Registration:
    """One RegisterResource request, as the engine receives it."""

    type: str
    name: str
    urn: str
    parent: str
    custom: bool
    properties: dict[str, Any]
    """The property struct as JSON (secret envelopes and unknown sentinels kept)."""
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    dependencies: list[str] = field(default_factory=list)
    additional_secret_outputs: list[str] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    """The state the mocks returned (inputs plus computed outputs), as JSON."""

    @property
    def analyzed_properties(self) -> dict[str, Any]:
        """The properties the engine sends to an analyzer: internal (``__``) keys dropped."""
        return {
            key: copy.deepcopy(value)
            for key, value in self.properties.items()
            if not key.startswith("__")
        }


# Outputs the mocks compute on `up` (ids DigiCert would assign); unknown during preview.
_COMPUTED_OUTPUTS: Mapping[str, Callable[[int], dict[str, Any]]] = {
    "Organization": lambda n: {"organization_id": 1000 + n, "status": "active"},
    "DomainValidation": lambda n: {"domain_id": 2000 + n, "dcv_token": f"token{n}"},
    "DocumentSigningOrder": lambda n: {"order_id": 3000 + n, "status": "pending"},
    "BillingAccountLink": lambda n: {"linked": True},
    "DomainValidationCheck": lambda n: {"validated": False},
}


class _DigiCertMocks(pulumi_mocks.Mocks):
    def __init__(self, preview: bool) -> None:
        self.preview = preview
        self.count = 0

    def new_resource(
        self, args: pulumi_mocks.MockResourceArgs
    ) -> tuple[str | None, dict[str, Any]]:
        self.count += 1
        state = dict(args.inputs)
        kind = args.typ.rsplit(":", 1)[-1]
        if self.preview:
            return None, state
        computed = _COMPUTED_OUTPUTS.get(kind, lambda n: {})(self.count)
        state.update(computed)
        # DigiCert's id is the resource id, as the provider records it (a digit string).
        ids = [value for key, value in computed.items() if key.endswith("_id")]
        return (str(ids[0]) if ids else f"{args.name}-id", state)

    def call(self, args: pulumi_mocks.MockCallArgs) -> tuple[dict[str, Any], None]:
        return ({}, None)


def run_program(
    program: Callable[[], None],
    *,
    preview: bool = True,
    config: Mapping[str, str] | None = None,
) -> list[Registration]:
    """Runs ``program`` under mocks and returns its registrations in order."""
    resources = testing_program.run_program(
        program,
        project=PROJECT,
        stack=STACK,
        config=config,
        mocks=_DigiCertMocks(preview),
        preview=preview,
    )
    return [_registration(resource) for resource in resources if not resource.read]


def _registration(resource: testing_program.RegisteredResource) -> Registration:
    return Registration(
        type=resource.type,
        name=resource.name,
        urn=resource.urn,
        parent=resource.parent,
        custom=resource.custom,
        properties=copy.deepcopy(resource.raw_inputs),
        property_dependencies={
            key: list(urns) for key, urns in resource.property_dependencies.items()
        },
        dependencies=list(resource.dependencies),
        additional_secret_outputs=list(resource.options.additional_secret_outputs),
        outputs=copy.deepcopy(resource.outputs),
    )


def find(registrations: Sequence[Registration], name: str) -> Registration:
    """The registration of the resource called ``name``."""
    for registration in registrations:
        if registration.name == name:
            return registration
    raise KeyError(f"no resource named {name!r}; have {[r.name for r in registrations]}")


def _options(registration: Registration | None = None) -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=False,
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=list(registration.additional_secret_outputs)
        if registration
        else [],
        parent=registration.parent or None if registration else None,
    )


def _analyzer_props(properties: Mapping[str, Any]) -> Any:
    # The same two steps the analyzer takes: deserialize (the pack's, secret-keeping), then proxy.
    deserialize = getattr(policy_module, "deserialize_properties")  # noqa: B009 - patched
    return unknown_checking_proxy(deserialize(dict(properties)))


def resource_args(
    registration: Registration, config: Mapping[str, Any] | None = None
) -> ResourceValidationArgs:
    """The ``ResourceValidationArgs`` the analyzer builds for ``registration``."""
    return ResourceValidationArgs(
        registration.type,
        _analyzer_props(registration.analyzed_properties),
        registration.urn,
        registration.name,
        _options(registration),
        None,
        dict(config) if config is not None else None,
    )


def stack_args(
    registrations: Iterable[Registration],
    config: Mapping[str, Any] | None = None,
    *,
    outputs: bool = False,
) -> StackValidationArgs:
    """The ``StackValidationArgs`` the analyzer builds for these registrations.

    With ``outputs``, each resource carries its state as after ``up`` (AnalyzeStack is given
    outputs); otherwise its inputs, as a preview of new resources has them.
    """
    registered = list(registrations)
    resources = {
        r.urn: PolicyResource(
            r.type,
            _analyzer_props(r.outputs if outputs else r.analyzed_properties),
            r.urn,
            r.name,
            _options(r),
            None,
            None,
            [],
            {},
        )
        for r in registered
    }
    for r in registered:
        resource = resources[r.urn]
        resource.dependencies = [resources[urn] for urn in r.dependencies if urn in resources]
        resource.property_dependencies = {
            key: [resources[urn] for urn in urns if urn in resources]
            for key, urns in r.property_dependencies.items()
        }
        if r.parent in resources:
            resource.parent = resources[r.parent]
    return StackValidationArgs(
        list(resources.values()), dict(config) if config is not None else None
    )


@dataclass
class Reported:
    """What a rule reported."""

    violations: list[tuple[str, str | None]] = field(default_factory=list)

    def __call__(self, message: str, urn: str | None = None) -> None:
        self.violations.append((message, urn))

    @property
    def messages(self) -> list[str]:
        return [message for message, _ in self.violations]


# --- gRPC -------------------------------------------------------------------------------------


def _struct(properties: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    json_format.ParseDict(dict(properties), struct)
    return struct


def _resource_fields(registration: Registration) -> dict[str, Any]:
    """What both requests say of a resource: its identity, properties and secret outputs."""
    return {
        "type": registration.type,
        "urn": registration.urn,
        "name": registration.name,
        "properties": _struct(registration.analyzed_properties),
        "options": analyzer_pb2.AnalyzerResourceOptions(
            additionalSecretOutputs=registration.additional_secret_outputs
        ),
    }


def analyze_request(registration: Registration) -> analyzer_pb2.AnalyzeRequest:
    """The ``AnalyzeRequest`` the engine sends for one registered resource."""
    return analyzer_pb2.AnalyzeRequest(**_resource_fields(registration))


def analyze_stack_request(
    registrations: Iterable[Registration],
) -> analyzer_pb2.AnalyzeStackRequest:
    """The ``AnalyzeStackRequest`` the engine sends for these resources."""
    return analyzer_pb2.AnalyzeStackRequest(
        resources=[
            analyzer_pb2.AnalyzerResource(
                **_resource_fields(r),
                parent=r.parent,
                dependencies=r.dependencies,
                propertyDependencies={
                    key: analyzer_pb2.AnalyzerPropertyDependencies(urns=urns)
                    for key, urns in r.property_dependencies.items()
                },
            )
            for r in registrations
        ]
    )


def policy_config(
    settings: Mapping[str, Mapping[str, Any]],
) -> analyzer_pb2.ConfigureAnalyzerRequest:
    """A ``Configure`` request from a policy config file's content.

    ``{"policy-name": {"enforcementLevel": "advisory", "someSetting": [...]}}``
    """
    levels = {
        "advisory": analyzer_pb2.ADVISORY,
        "mandatory": analyzer_pb2.MANDATORY,
        "remediate": analyzer_pb2.REMEDIATE,
        "disabled": analyzer_pb2.DISABLED,
    }
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, values in settings.items():
        properties = {key: value for key, value in values.items() if key != "enforcementLevel"}
        entry = request.policyConfig[name]
        entry.enforcementLevel = levels[str(values.get("enforcementLevel", "advisory"))]
        entry.properties.CopyFrom(_struct(properties))
    return request


class PolicyPackProcess:
    """``policies/`` served as its own process, as ``pulumi preview --policy-pack`` starts it.

    The CLI runs the pack's Python with ``-m pulumi.policy <engine address> <pack dir>`` in the
    pack directory; the pack prints its gRPC port on the first line of stdout.
    """

    def __init__(self, policies_dir: Path = POLICIES_DIR, python: str = sys.executable) -> None:
        self.policies_dir = policies_dir
        self.python = python
        self.process: subprocess.Popen[bytes] | None = None
        self.channel: grpc.Channel | None = None
        self.stub: analyzer_pb2_grpc.AnalyzerStub | None = None

    def start(self, timeout: float = 30.0) -> analyzer_pb2_grpc.AnalyzerStub:
        env = dict(os.environ)
        env["PYTHONUNBUFFERED"] = "1"
        # An engine address is required by the command line; the pack never calls it here.
        self.process = subprocess.Popen(
            [self.python, "-u", "-m", "pulumi.policy", "127.0.0.1:1", "."],
            cwd=self.policies_dir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert self.process.stdout is not None
        port_line: list[bytes] = []
        reader = threading.Thread(
            target=lambda: port_line.append(self.process.stdout.readline()),  # type: ignore[union-attr]
            daemon=True,
        )
        reader.start()
        reader.join(timeout)
        if not port_line or not port_line[0].strip().isdigit():
            self.process.kill()
            _, stderr = self.process.communicate(timeout=10)
            self.process = None
            raise RuntimeError(
                f"policy pack did not print its port: {port_line!r}\n"
                + stderr.decode(errors="replace")
            )
        port = int(port_line[0].strip())
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        grpc.channel_ready_future(self.channel).result(timeout=timeout)
        self.stub = analyzer_pb2_grpc.AnalyzerStub(self.channel)
        return self.stub

    def stop(self) -> None:
        if self.channel is not None:
            self.channel.close()
            self.channel = None
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process is not None:
            for stream in (self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()
