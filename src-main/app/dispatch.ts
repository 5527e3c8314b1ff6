// Calls one API method by name for a front door: the name must be in the contract's list, the input
// must pass its schema, and the outcome comes back as an ApiResult, so no stack or internal error
// object crosses to the renderer.
import { isApiMethod, type ApiMethod, type ApiMethods, type ApiResult } from '../../src-shared/api.ts'
import { parseApiInput } from '../../src-shared/apiSchemas.ts'

export async function dispatch(methods: ApiMethods, method: unknown, input: unknown): Promise<ApiResult> {
  if (!isApiMethod(method)) return { ok: false, error: `unknown method ${String(method).slice(0, 80)}` }
  try {
    const value = await call(methods, method, parseApiInput(method, input))
    return { ok: true, value }
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_READONLY') return { ok: false, error: `${method}: the library is open read-only; nothing was saved` }
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}

function call(methods: ApiMethods, method: ApiMethod, input: unknown): Promise<unknown> {
  const fn = methods[method] as (input: unknown) => Promise<unknown>
  return fn(input)
}
