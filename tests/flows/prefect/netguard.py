"""Refuse and record every connection to a non-loopback address, in this process and children.

Installed as ``sitecustomize`` on ``PYTHONPATH`` by the conftest, so Prefect's server
subprocesses, flow subprocesses and their telemetry clients all run under it; each attempt is
appended to the file named by ``TELAAH_NETGUARD_LOG`` for the offline test to read.
"""

from __future__ import annotations

import ipaddress
import os
import socket

_LOCAL_NAMES = {"localhost", "", "0.0.0.0", "::", socket.gethostname()}


def _is_local(host: object) -> bool:
    if host is None:
        return True
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _record(kind: str, target: object) -> None:
    log = os.environ.get("TELAAH_NETGUARD_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {kind} {target!r}\n")


_ORIGINALS: dict[str, object] = {}


def uninstall() -> None:
    """Put the real socket functions back (the guard is for Telaah's Prefect tests only)."""
    if not _ORIGINALS:
        return
    socket.socket.connect = _ORIGINALS.pop("connect")  # type: ignore[method-assign]
    socket.socket.connect_ex = _ORIGINALS.pop("connect_ex")  # type: ignore[method-assign]
    socket.getaddrinfo = _ORIGINALS.pop("getaddrinfo")  # type: ignore[assignment]


def install() -> None:
    if _ORIGINALS:
        return
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def allowed(sock: socket.socket, address: object) -> bool:
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return True
        host = address[0] if isinstance(address, tuple) else address
        return _is_local(host)

    def connect(self: socket.socket, address: object) -> None:
        if not allowed(self, address):
            _record("connect", address)
            raise ConnectionRefusedError(f"telaah test guard: no outside connection ({address})")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        if not allowed(self, address):
            _record("connect", address)
            return 111
        return real_connect_ex(self, address)

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> list:  # type: ignore[type-arg]
        if not _is_local(host):
            _record("resolve", host)
            raise socket.gaierror(socket.EAI_NONAME, f"telaah test guard: no lookup of {host}")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    _ORIGINALS.update(
        connect=real_connect, connect_ex=real_connect_ex, getaddrinfo=real_getaddrinfo
    )
    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]


if os.environ.get("TELAAH_NETGUARD_LOG"):
    install()
