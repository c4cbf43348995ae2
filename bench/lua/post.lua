-- A bare POST, for the INSERT baseline.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "row=1"
