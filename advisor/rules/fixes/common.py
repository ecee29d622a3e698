"""What every fix shares: the three kinds of command, labels, alternatives."""

from __future__ import annotations

from ..result import Command, CommandKind

CLI, CFN, TF = CommandKind.AWS_CLI, CommandKind.CLOUDFORMATION, CommandKind.TERRAFORM


NETWORK_CONFIGURATION = (
    '"awsvpcConfiguration={{subnets=[<subnet-id-1>,<subnet-id-2>],'
    'securityGroups=[<security-group-id>],assignPublicIp={assign}}}"'
)


def three_ways(cli: str, cfn: str, tf: str) -> tuple[Command, ...]:
    return (Command(CLI, cli.strip()), Command(CFN, cfn.strip()), Command(TF, tf.strip()))


def labelled(label: str, commands: tuple[Command, ...]) -> tuple[Command, ...]:
    """The same commands, each opening with a comment line that says what they are.

    All three kinds comment with `#`, so the label travels with the text into every export.
    """
    return tuple(Command(c.kind, f"# {label}\n{c.text}") for c in commands)


def alternatives(*options: tuple[str, tuple[Command, ...]]) -> tuple[Command, ...]:
    """Several ways to the same end, each labelled as an option, later ones as instead of the
    first: "# Option 1: …", "# Option 2 (instead of option 1): …"."""
    out: list[Command] = []
    for number, (label, commands) in enumerate(options, start=1):
        lead = f"Option {number}" + (" (instead of option 1)" if number > 1 else "")
        out += labelled(f"{lead}: {label}", commands)
    return tuple(out)


def indent(text: str, by: str = "  ") -> str:
    return "\n".join(by + line if line else line for line in text.splitlines())
