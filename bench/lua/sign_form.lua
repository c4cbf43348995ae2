-- The signature form as a browser without JavaScript... and with: every request a new
-- signer (a distinct address), the form's fields, a valid render stamp, same origin.
-- args: render stamp (URL-encoded), origin, a nonce for this run.
function prepare(args)
  stamp, origin, nonce = args[1], args[2], args[3]
  sent = 0
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
    ["Origin"] = origin,
  }
end

function request()
  sent = sent + 1
  local body = "name=Bench+Signer&email=bench." .. nonce .. "." .. id .. "." .. sent
    .. "%40submissions.example&country=FR&city=Paris&message=&consent=on"
    .. "&keep_informed=on&website=&rendered_at=" .. stamp
  return wrk.format("POST", nil, headers, body)
end
