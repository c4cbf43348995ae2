-- Confirmations, each of a different pending signature of one appeal, as the
-- confirmation page's button posts them.
-- args: the tokens file (one a line), origin, number of threads.
function prepare(args)
  local path, threads_count = args[1], tonumber(args[3])
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = args[2],
  }
  tokens, used = {}, 0
  local index = 0
  for line in io.lines(path) do
    if index % threads_count == id then table.insert(tokens, line) end
    index = index + 1
  end
end

function request()
  used = used + 1
  -- Past the last token, an unknown one: answered 404, counted as a failure.
  return wrk.format("POST", nil, headers, "token=" .. (tokens[used] or "used-up"))
end
