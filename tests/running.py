"""Running the drafter command in-process for tests, with stdout and stderr kept apart."""
from click.testing import CliRunner

from drafter.cli import cli


def invoke(*args):
    try:
        runner = CliRunner(mix_stderr=False)  # click before 8.2 (Python 3.9) mixes them unless told
    except TypeError:
        runner = CliRunner()  # click 8.2 and later keep them apart
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
