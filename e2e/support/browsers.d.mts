export declare const CHROMIUM_ARGS: string[]
export interface Engine {
  path: string | undefined
  install: string
}
export declare const ENGINES: {
  chromium: Engine
  firefox: Engine
  webkit: Engine & { miniBrowser: string | undefined; xvfb: string | undefined }
}
export declare function chromiumLaunch(): { executablePath: string | undefined; args: string[] }
export declare function firefoxLaunch(): {
  channel: string
  executablePath: string | undefined
  firefoxUserPrefs: Record<string, string | number | boolean>
}
export declare function missingEngines(engines?: (keyof typeof ENGINES)[]): string[]
export declare function withBackForwardCache(engine: 'chromium' | 'firefox'): Record<string, unknown>
