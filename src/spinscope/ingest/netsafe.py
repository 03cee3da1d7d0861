"""Which network addresses a fetch may connect to (SSRF protection).

By default only globally routable unicast addresses are allowed: private (10/8, 172.16/12,
192.168/16, fc00::/7), loopback, link-local (169.254/16 incl. cloud metadata, fe80::/10),
shared (100.64/10), multicast, reserved and unspecified addresses are refused, also when
hidden inside IPv4-mapped or NAT64 IPv6 addresses. Every address a name resolves to must pass,
and the connection goes to an address that was checked (no second DNS look-up to rebind).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence

from spinscope.errors import FetchError, UnsafeURLError

__all__ = ["HostNotFoundError", "IPAddress", "Resolver", "check_addresses", "is_public_address",
           "system_resolver"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class HostNotFoundError(FetchError):
    """A host name does not resolve (reported as such, also when met fetching robots.txt)."""


def is_public_address(ip: IPAddress) -> bool:
    """True for a globally routable unicast address."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public_address(ip.ipv4_mapped)
        if ip in _NAT64:
            return is_public_address(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.sixtofour is not None and not is_public_address(ip.sixtofour):
            return False
    return bool(ip.is_global and not ip.is_multicast and not ip.is_unspecified)


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to (IP literals resolve to themselves)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise HostNotFoundError(f"cannot resolve host {host!r}: {e.strerror}; check the URL "
                                "and the network connection") from e
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_addresses(host: str, addresses: Sequence[str], allow_private: bool,
                    is_allowed: Callable[[IPAddress], bool] = is_public_address) -> list[str]:
    """``addresses`` if every one may be contacted; raises ``UnsafeURLError`` otherwise."""
    if not addresses:
        raise FetchError(f"host {host!r} resolved to no address")
    if allow_private:
        return list(addresses)
    for text in addresses:
        ip = ipaddress.ip_address(text.split("%", 1)[0])
        if not is_allowed(ip):
            shown = host if host == text else f"{host} ({text})"
            raise UnsafeURLError(f"refused to connect to {shown}: a private, loopback or "
                                 "link-local address; pass --allow-private-addresses to fetch "
                                 "from your own network")
    return list(addresses)
