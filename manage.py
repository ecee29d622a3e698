#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    if sys.argv[1:2] in (["advise"], ["snapshot"]):
        # The command line evaluates answers (or reads an account) and prints; it signs and
        # stores nothing, so it needs no secret key. The server still refuses to start without one.
        os.environ.setdefault("DJANGO_SECRET_KEY", "advise-command-line-signs-nothing")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
