"""An SSE client for tests: reads a stream in a background thread and lets tests wait for what they expect."""
import json
import threading

import requests


class Stream:
    def __init__(self, url, last_event_id=None):
        headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self.response = requests.get(url, headers=headers, stream=True, timeout=30)
        self.messages = []
        self.comments = 0
        self.ended = False
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        current = {}
        try:
            for raw in self.response.iter_lines(decode_unicode=True):
                if raw is None:
                    continue
                with self.changed:
                    if raw == "":
                        if current:
                            self.messages.append(current)
                        current = {}
                    elif raw.startswith(":"):
                        self.comments += 1
                    else:
                        field, _, value = raw.partition(": ")
                        current[field] = value
                    self.changed.notify_all()
        except Exception:
            pass
        with self.changed:
            self.ended = True
            self.changed.notify_all()

    def events(self, kind):
        with self.changed:
            return [json.loads(m["data"]) | {"_id": m.get("id")} for m in self.messages if m.get("event") == kind]

    def wait_until(self, predicate, timeout=10.0) -> bool:
        """Waits, woken by each line the stream receives, until `predicate(self)` holds; False after `timeout`."""
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self), timeout)

    def wait_ended(self, timeout=10.0) -> bool:
        return self.wait_until(lambda s: s.ended, timeout)

    def close(self):
        self.response.close()
