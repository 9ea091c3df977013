#!/usr/bin/env python3
"""Minimal QMP client (stdlib only) for the VM tier.

Usage: qmp.py SOCKET COMMAND ARGUMENTS_JSON
Connects to QEMU's QMP unix socket, negotiates capabilities, runs COMMAND (e.g. device_add) with the
given arguments and prints the reply. Exits 1 when QEMU answers with an error.
"""
import json
import socket
import sys


def exchange(stream, sock, message):
    sock.sendall(json.dumps(message).encode() + b"\n")
    for line in stream:
        reply = json.loads(line)
        if "return" in reply or "error" in reply:  # anything else is an asynchronous event
            return reply
    raise ConnectionError("QMP socket closed before the reply")


def main():
    path, command, arguments = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect(path)
        stream = sock.makefile("r")
        json.loads(stream.readline())  # greeting
        exchange(stream, sock, {"execute": "qmp_capabilities"})
        reply = exchange(stream, sock, {"execute": command, "arguments": arguments})
    print(json.dumps(reply))
    return 1 if "error" in reply else 0


if __name__ == "__main__":
    sys.exit(main())
