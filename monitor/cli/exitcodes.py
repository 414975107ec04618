"""The exit codes of ``amends``, from sysexits.h where one fits: the systemd unit
keys on them (``RestartPreventExitStatus=78``)."""

from __future__ import annotations

ERROR = 2  # an error amends explains: bad input, no such database, ...
TEMPFAIL = 75  # EX_TEMPFAIL: may pass by itself (database busy beyond the timeout)
CONFIG = 78  # EX_CONFIG: the configuration cannot be used; restarting will not help
INTERRUPTED = 130  # Ctrl-C
