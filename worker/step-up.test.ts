import { describe, expect, it } from 'vitest'
import { stepUpRequired } from './step-up.js'

const answer = (status: number, challenge?: string) =>
  new Response(null, { status, headers: challenge ? { 'WWW-Authenticate': challenge } : {} })

describe('stepUpRequired (RFC 9470 challenges)', () => {
  it('reads max_age and acr_values from a 401 or 403, quoted or not', () => {
    const error = stepUpRequired(
      answer(
        401,
        'Bearer error="insufficient_user_authentication", error_description="A more recent authentication is required", max_age="300"',
      ),
    )
    expect(error).toMatchObject({ code: 'ERR_STEP_UP_REQUIRED', maxAge: 300 })
    expect(error!.acrValues).toBeUndefined()
    expect(
      stepUpRequired(
        answer(
          403,
          'DPoP algs="ES256", Bearer error=insufficient_user_authentication, acr_values="urn:a  urn:b", max_age=0',
        ),
      ),
    ).toMatchObject({ acrValues: ['urn:a', 'urn:b'], maxAge: 0 })
  })

  it('is null for every other answer', () => {
    expect(stepUpRequired(answer(401, 'Bearer error="invalid_token"'))).toBeNull()
    expect(stepUpRequired(answer(401))).toBeNull()
    expect(stepUpRequired(answer(400, 'Bearer error="insufficient_user_authentication"'))).toBeNull()
    expect(stepUpRequired(answer(200, 'Bearer error="insufficient_user_authentication"'))).toBeNull()
    expect(stepUpRequired(answer(401, 'Bearer error_description="insufficient_user_authentication"'))).toBeNull()
  })

  it('leaves out malformed values rather than trusting them', () => {
    const error = stepUpRequired(
      answer(401, 'Bearer error="insufficient_user_authentication", max_age="-5", acr_values="ok \u00e9t\u00e9"'),
    )
    expect(error!.maxAge).toBeUndefined()
    expect(error!.acrValues).toEqual(['ok'])
  })
})
