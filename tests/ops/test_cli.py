"""The `gendan` command lists the operator's commands first."""

import subprocess

from tests.ops.conftest import GENDAN, ROOT


def test_gendan_without_arguments_lists_operator_commands_first(gendan_env) -> None:
    done = subprocess.run(GENDAN, env=gendan_env(), cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0
    out = done.stdout
    top = out[: out.index("Available subcommands")]
    for command in ("serve", "worker", "demo", "backup", "migrate", "createsuperuser"):
        assert f"    {command} " in top, command
