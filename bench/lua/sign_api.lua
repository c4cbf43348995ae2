-- Signing through the API: a JSON body, every request a new signer.
-- args: render stamp, origin, a nonce for this run.
function prepare(args)
  stamp, origin, nonce = args[1], args[2], args[3]
  sent = 0
  headers = { ["Content-Type"] = "application/json", ["Origin"] = origin }
end

function request()
  sent = sent + 1
  local body = '{"name": "Bench Signer", "email": "api.' .. nonce .. "." .. id .. "." .. sent
    .. '@submissions.example", "country": "FR", "consent": true, "rendered_at": "'
    .. stamp .. '"}'
  return wrk.format("POST", nil, headers, body)
end
