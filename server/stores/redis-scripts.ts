/**
 * The Redis store's Lua scripts: each store operation is one script, so every
 * check-and-write (rotation, reuse detection, expiry, revocation) is atomic.
 * Keys (prefix P): P s:<sid> hash { d: JSON, u: user, ls, ie, ae, at }, P st:<sid>
 * set of token hashes, P t:<hash> hash { k: kind, s: sid, e: expiresAt, x: spent },
 * P u:<user> set of sids, P ur:<user> revocation time, P th:<key> throttle hash.
 * Numbers travel as decimal strings computed in JS; Lua only compares them, and
 * never decodes `d` (a cjson round trip would turn [] into {} and round numbers):
 * what changes lives in fields of its own (`at`, the auth time: absent in
 * sessions stored before it existed). A session travels as its NF fields, in FIELDS order.
 * ARGV[1] is always the prefix, ARGV[2] the grace ms added to every TTL.
 * @internal
 */

const COMMON = `
local P = ARGV[1]
local GRACE = tonumber(ARGV[2])
local FIELDS = {'d', 'u', 'ls', 'ie', 'ae', 'at'}
local NF = #FIELDS
local function getSession(sid)
  local s = redis.call('HMGET', P .. 's:' .. sid, unpack(FIELDS))
  if not s[1] then return nil end
  return s
end
local function endSession(sid, user)
  local toks = redis.call('SMEMBERS', P .. 'st:' .. sid)
  for _, h in ipairs(toks) do redis.call('DEL', P .. 't:' .. h) end
  redis.call('DEL', P .. 's:' .. sid, P .. 'st:' .. sid)
  redis.call('SREM', P .. 'u:' .. user, sid)
end
local function expiry(s, now)
  if now >= tonumber(s[5]) then return 'absolute' end
  if now >= tonumber(s[4]) then return 'idle' end
  return nil
end
local function ttl(untilMs, now)
  local d = math.floor(untilMs - now + GRACE)
  if d < 1 then d = 1 end
  return d
end
local function expireSession(sid, s, now)
  local d = ttl(math.min(tonumber(s[4]), tonumber(s[5])), now)
  redis.call('PEXPIRE', P .. 's:' .. sid, d)
  redis.call('PEXPIRE', P .. 'st:' .. sid, ttl(tonumber(s[5]), now))
end
local function addToken(sid, s, hash, kind, exp, now)
  local ae = tonumber(s[5])
  local e = tonumber(exp)
  if e > ae then exp = s[5] end
  local key = P .. 't:' .. hash
  redis.call('HSET', key, 'k', kind, 's', sid, 'e', exp, 'x', '0')
  redis.call('PEXPIRE', key, ttl(ae, now))
  redis.call('SADD', P .. 'st:' .. sid, hash)
end
local function withSession(status, s, extra)
  local out = {status}
  if extra then table.insert(out, extra) end
  for i = 1, NF do table.insert(out, s[i]) end
  return out
end
`

/** ARGV: P, grace, now, notRevokedSince, sid, d, u, ls, ie, ae, maxPerUser, nTokens, (hash, kind, exp)*, nReplace, (hash, kind)*, at */
export const CREATE = `${COMMON}
local now = tonumber(ARGV[3])
local sid = ARGV[5]
local user = ARGV[7]
local revoked = redis.call('GET', P .. 'ur:' .. user)
if revoked and tonumber(revoked) >= tonumber(ARGV[4]) then return {'user_revoked'} end
local nTokens = tonumber(ARGV[12])
local base = 13 + nTokens * 3
local nReplace = tonumber(ARGV[base])
local out = {'ok'}
for i = 0, nReplace - 1 do
  local h = ARGV[base + 1 + i * 2]
  local kind = ARGV[base + 2 + i * 2]
  local t = redis.call('HMGET', P .. 't:' .. h, 'k', 's')
  if t[1] == kind then
    local old = getSession(t[2])
    if old then
      endSession(t[2], old[2])
      for j = 1, NF do table.insert(out, old[j]) end
    end
  end
end
local maxPerUser = tonumber(ARGV[11])
local members = redis.call('SMEMBERS', P .. 'u:' .. user)
local live = {}
for _, m in ipairs(members) do
  local s = getSession(m)
  if not s then redis.call('SREM', P .. 'u:' .. user, m)
  elseif expiry(s, now) then endSession(m, user)
  else table.insert(live, {m, tonumber(cjson.decode(s[1]).createdAt)}) end
end
if #live >= maxPerUser then
  table.sort(live, function(a, b) return a[2] < b[2] end)
  for i = 1, #live - maxPerUser + 1 do endSession(live[i][1], user) end
end
local s = {ARGV[6], user, ARGV[8], ARGV[9], ARGV[10], ARGV[base + 1 + nReplace * 2]}
redis.call('HSET', P .. 's:' .. sid, 'd', s[1], 'u', s[2], 'ls', s[3], 'ie', s[4], 'ae', s[5], 'at', s[6])
for i = 0, nTokens - 1 do
  addToken(sid, s, ARGV[13 + i * 3], ARGV[14 + i * 3], ARGV[15 + i * 3], now)
end
expireSession(sid, s, now)
local ukey = P .. 'u:' .. user
redis.call('SADD', ukey, sid)
local want = ttl(tonumber(s[5]), now)
if redis.call('PTTL', ukey) < want then redis.call('PEXPIRE', ukey, want) end
return out
`

/** ARGV: P, grace, now, hash, kind, touchIdleExpiresAt ('' = no touch), allowExpired ('1'/'0') */
export const LOOKUP = `${COMMON}
local now = tonumber(ARGV[3])
local t = redis.call('HMGET', P .. 't:' .. ARGV[4], 'k', 's', 'e', 'x')
if t[1] ~= ARGV[5] then return {'invalid'} end
local sid = t[2]
local s = getSession(sid)
if not s then return {'invalid'} end
local r = expiry(s, now)
if r then
  endSession(sid, s[2])
  return withSession('expired', s, r)
end
if ARGV[7] ~= '1' and (t[4] == '1' or now >= tonumber(t[3])) then return {'invalid'} end
if ARGV[6] ~= '' then
  s[3] = ARGV[3]
  s[4] = ARGV[6]
  redis.call('HSET', P .. 's:' .. sid, 'ls', s[3], 'ie', s[4])
  expireSession(sid, s, now)
end
return withSession('ok', s)
`

/** ARGV: P, grace, now, hash, expectSid ('' = any), nTokens, (hash, kind, exp)* */
export const ROTATE = `${COMMON}
local now = tonumber(ARGV[3])
local t = redis.call('HMGET', P .. 't:' .. ARGV[4], 'k', 's', 'e', 'x')
if t[1] ~= 'refresh' then return {'invalid'} end
local sid = t[2]
local s = getSession(sid)
if not s then return {'invalid'} end
if ARGV[5] ~= '' and ARGV[5] ~= sid then return {'mismatch'} end
if t[4] == '1' then
  endSession(sid, s[2])
  return withSession('reuse', s)
end
local r = expiry(s, now)
if r then
  endSession(sid, s[2])
  return withSession('expired', s, r)
end
if now >= tonumber(t[3]) then return {'invalid'} end
redis.call('HSET', P .. 't:' .. ARGV[4], 'x', '1')
local stKey = P .. 'st:' .. sid
for _, h in ipairs(redis.call('SMEMBERS', stKey)) do
  local o = redis.call('HMGET', P .. 't:' .. h, 'k', 'e')
  if not o[1] or (o[1] == 'access' and now >= tonumber(o[2])) then
    redis.call('DEL', P .. 't:' .. h)
    redis.call('SREM', stKey, h)
  end
end
local n = tonumber(ARGV[6])
for i = 0, n - 1 do addToken(sid, s, ARGV[7 + i * 3], ARGV[8 + i * 3], ARGV[9 + i * 3], now) end
return withSession('ok', s)
`

/** ARGV: P, grace, sid, userId ('' = any user) */
export const END = `${COMMON}
local s = getSession(ARGV[3])
if not s then return {'none'} end
if ARGV[4] ~= '' and ARGV[4] ~= s[2] then return {'none'} end
endSession(ARGV[3], s[2])
return withSession('ok', s)
`

/** ARGV: P, grace, now, userId */
export const LIST = `${COMMON}
local now = tonumber(ARGV[3])
local user = ARGV[4]
local out = {'ok'}
for _, m in ipairs(redis.call('SMEMBERS', P .. 'u:' .. user)) do
  local s = getSession(m)
  if not s then redis.call('SREM', P .. 'u:' .. user, m)
  elseif expiry(s, now) then endSession(m, user)
  else for j = 1, NF do table.insert(out, s[j]) end end
end
return out
`

/** ARGV: P, grace, now, userId, except ('' = none), rememberMs */
export const REVOKE_USER = `${COMMON}
local now = tonumber(ARGV[3])
local user = ARGV[4]
local rkey = P .. 'ur:' .. user
local prev = redis.call('GET', rkey)
if not prev or tonumber(prev) < now then redis.call('SET', rkey, ARGV[3], 'PX', ARGV[6]) end
local kept = '0'
local out = {}
for _, m in ipairs(redis.call('SMEMBERS', P .. 'u:' .. user)) do
  local s = getSession(m)
  if not s then redis.call('SREM', P .. 'u:' .. user, m)
  elseif m == ARGV[5] and not expiry(s, now) then kept = '1'
  else
    endSession(m, user)
    for j = 1, NF do table.insert(out, s[j]) end
  end
end
table.insert(out, 1, kept)
return out
`

/**
 * ARGV: P, grace, now, sid, userId, rememberMs, nTokens, (hash, kind, exp)*, endOthers ('1'/'0'),
 * authTime ('' = keep), touchIdleExpiresAt ('' = no touch) -> {'ok', session, revoked sessions...} | {'invalid'}
 */
export const RENEW = `${COMMON}
local now = tonumber(ARGV[3])
local sid = ARGV[4]
local user = ARGV[5]
local n = tonumber(ARGV[7])
local endOthers = ARGV[8 + n * 3]
local authTime = ARGV[9 + n * 3]
local touch = ARGV[10 + n * 3]
local s = getSession(sid)
if not s or s[2] ~= user then return {'invalid'} end
if expiry(s, now) then
  endSession(sid, user)
  return {'invalid'}
end
if authTime ~= '' then
  s[6] = authTime
  redis.call('HSET', P .. 's:' .. sid, 'at', s[6])
end
if touch ~= '' then
  s[3] = ARGV[3]
  s[4] = touch
  redis.call('HSET', P .. 's:' .. sid, 'ls', s[3], 'ie', s[4])
end
local out = withSession('ok', s)
if endOthers == '1' then
  local rkey = P .. 'ur:' .. user
  local prev = redis.call('GET', rkey)
  if not prev or tonumber(prev) < now then redis.call('SET', rkey, ARGV[3], 'PX', ARGV[6]) end
  for _, m in ipairs(redis.call('SMEMBERS', P .. 'u:' .. user)) do
    if m ~= sid then
      local o = getSession(m)
      if not o then redis.call('SREM', P .. 'u:' .. user, m)
      else
        endSession(m, user)
        for j = 1, NF do table.insert(out, o[j]) end
      end
    end
  end
end
local stKey = P .. 'st:' .. sid
for _, h in ipairs(redis.call('SMEMBERS', stKey)) do redis.call('DEL', P .. 't:' .. h) end
redis.call('DEL', stKey)
for i = 0, n - 1 do addToken(sid, s, ARGV[8 + i * 3], ARGV[9 + i * 3], ARGV[10 + i * 3], now) end
expireSession(sid, s, now)
return out
`

/** ARGV: P, grace, now, n, (key, free, base, max, window)* -> {retryAfterSeconds} */
export const THROTTLE_HIT = `${COMMON}
local now = tonumber(ARGV[3])
local n = tonumber(ARGV[4])
local wait = 0
for i = 0, n - 1 do
  local lu = tonumber(redis.call('HGET', P .. 'th:' .. ARGV[5 + i * 5], 'lu') or '0')
  if lu > now then
    local w = math.ceil((lu - now) / 1000)
    if w > wait then wait = w end
  end
end
if wait > 0 then return {tostring(wait)} end
for i = 0, n - 1 do
  local key = P .. 'th:' .. ARGV[5 + i * 5]
  local free = tonumber(ARGV[6 + i * 5])
  local base = tonumber(ARGV[7 + i * 5])
  local maxd = tonumber(ARGV[8 + i * 5])
  local window = tonumber(ARGV[9 + i * 5])
  local st = redis.call('HMGET', key, 'c', 'we', 'lu')
  local c, we, lu = tonumber(st[1] or '0'), tonumber(st[2] or '0'), tonumber(st[3] or '0')
  if not st[1] or (now >= we and now >= lu) then c = 0; we = now + window; lu = 0 end
  c = c + 1
  if c > free then
    local e = c - free - 1
    if e > 30 then e = 30 end
    lu = now + math.min(base * (2 ^ e), maxd)
    if lu > we then we = lu end
  end
  redis.call('HSET', key, 'c', c, 'we', string.format('%d', we), 'lu', string.format('%d', lu))
  redis.call('PEXPIRE', key, ttl(math.max(we, lu), now))
end
return {'0'}
`

/** ARGV: P, grace, key, mode ('reset' | 'undo') */
export const THROTTLE_CLEAR = `${COMMON}
local key = P .. 'th:' .. ARGV[3]
if ARGV[4] == 'reset' then redis.call('DEL', key)
else
  local c = tonumber(redis.call('HGET', key, 'c') or '0')
  if c > 0 then redis.call('HSET', key, 'c', c - 1) end
end
return {'ok'}
`
