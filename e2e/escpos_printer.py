"""A test ESC/POS printer on TCP: answers the real-time status queries (DLE EOT) like an Epson TM printer, keeps
what it was sent, and decodes tickets (Shift_JIS text, GS ( k QR data, cuts)."""
import re
import socket
import threading

DLE_EOT = b"\x10\x04"
CUT = b"\x1d\x56\x42\x00"
OK_STATUS = 0x12  # bits 1 and 4 are always set


class PrinterOnTCP:
    def __init__(self, port: int = 0):
        self.mode = "ok"  # "ok" or "paper_out"
        self.received: list[bytes] = []  # one entry per connection, status queries removed
        self.changed = threading.Condition()
        self.server = socket.create_server(("127.0.0.1", port), reuse_port=False)
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return  # stopped
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _status(self, n: int) -> int:
        if self.mode == "paper_out":
            return OK_STATUS | (0x20 if n == 2 else 0x60 if n == 4 else 0)
        return OK_STATUS

    def _handle(self, connection: socket.socket):
        data = b""
        with connection:
            while True:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                data += chunk
                # answer each complete status query at the start of the stream, as it arrives
                while data.startswith(DLE_EOT) and len(data) >= 3:
                    connection.sendall(bytes([self._status(data[2])]))
                    data = data[3:]
        with self.changed:
            if data:
                self.received.append(data)
            self.changed.notify_all()

    def wait_for_jobs(self, count: int, timeout: float = 20) -> list[bytes]:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.received) >= count, timeout), f"printer got {len(self.received)} of {count} jobs"
            return list(self.received)

    def stop(self):
        # shutdown wakes the thread blocked in accept(); close alone would let it take one more connection
        try:
            self.server.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.server.close()
        self.thread.join(timeout=5)


def text_lines(job: bytes) -> list[str]:
    """The Shift_JIS text of every Kanji-mode line (FS & … FS . LF)."""
    return [m.decode("shift_jis") for m in re.findall(rb"\x1c\x26(.*?)\x1c\x2e\x0a", job, re.S)]


def qr_data(job: bytes) -> str:
    """The data stored for the QR symbol (GS ( k pL pH 31 50 30 data)."""
    start = job.index(b"\x1d\x28\x6b", job.index(b"\x31\x50\x30") - 5)
    length = job[start + 3] + job[start + 4] * 256 - 3
    begin = start + 8
    return job[begin:begin + length].decode("ascii")


def cuts(job: bytes) -> int:
    return job.count(CUT)
