-- POST ticket requests spread over the benchmark's services (see run.py), as the registered kiosk whose device
-- cookie run.py passes in MADOGUCHI_BENCH_COOKIE (anonymous clients are limited to a few tickets per 10 minutes).
local services = tonumber(os.getenv("MADOGUCHI_BENCH_SERVICES") or "1")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("MADOGUCHI_BENCH_COOKIE") or ""

request = function()
    return wrk.format(nil, nil, nil, '{"service":"bench-issue-' .. math.random(0, services - 1) .. '"}')
end
