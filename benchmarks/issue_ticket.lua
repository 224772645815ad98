-- POST a ticket request for the benchmark's wide-range service (see run.py).
wrk.method = "POST"
wrk.body = '{"service":"bench-issue"}'
wrk.headers["Content-Type"] = "application/json"
